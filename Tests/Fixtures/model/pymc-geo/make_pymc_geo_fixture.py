"""Writes a small geo panel and fits it with PyMC-Marketing's multidimensional MMM: the reference
for MixPlan's geo agreement test (issue 22, acceptance point 2; Tests/MixModelTests/
PyMCGeoAgreementTests.swift).

Run once, from the package root, in a virtualenv outside the repository:

    python3 -m venv /work/venv-peers && /work/venv-peers/bin/pip install pymc-marketing numpyro
    /work/venv-peers/bin/python Tests/Fixtures/model/pymc-geo/make_pymc_geo_fixture.py

1. The panel (`panel.csv`, seeded, written only when missing so a refit keeps the committed data):
   3 geos x 104 weeks x 3 channels and one 0/1 promotion control, drawn from the model below with
   known parameters. The geos differ in size (1 : 0.6 : 0.35) but share one population column,
   because with equal populations MixPlan's per-head scaling divides target and spend by their
   maxima over date and geo, which is PyMC-Marketing's default `max` scaling (dims ("geo",)).

2. The model: PyMC-Marketing 0.19's `multidimensional.MMM` with `dims=("geo",)`, its priors set
   (nested `Prior`s) to MixPlan's geo model under `model.default_priors: pymc-marketing`
   (README, *Geo panels*):
       adstock_alpha[c]       ~ Beta(1, 3)            shared by the geos (dims "channel")
       saturation_lam[c]      ~ Gamma(3, 1)           shared by the geos, logistic saturation
       log saturation_beta[g,c] = mu_c + tau_c * z[g,c], z ~ Normal(0, 1)      (non-centred)
           mu_c ~ Normal(0.0579, 1.1107)  (the log-scale mean and sd of PyMC-Marketing's default
                                           beta prior HalfNormal(2))
           tau_c ~ HalfNormal(0.5)
       intercept[g]    ~ Normal(b, s_b), b ~ Normal(0, 2), s_b ~ HalfNormal(0.5)           (centred)
       gamma_fourier[g,j] = f_j + s_f * z[g,j], f_j ~ Laplace(0, 1), s_f ~ HalfNormal(0.2) (non-centred)
       gamma_control[k] ~ Normal(0, 2)                shared (a 0/1 column, used as given)
       y_sigma[g]       ~ HalfNormal(2)
   Geometric adstock l_max = 8 (normalised), yearly Fourier order 2 on day of year / 365.25,
   no trend, Normal likelihood. NumPyro NUTS, 4 chains x 1000 warm-up + 2000 draws.

3. `pymc_geo_summary.json`: the priors used, the scales, the first weeks of PyMC-Marketing's
   Fourier basis, and per compared quantity (named as MixPlan's test names it, PyMC-Marketing's
   name alongside) the posterior mean, sd, bulk ESS and R-hat: shape parameters, pooled means and
   scales, per-geo log beta, intercepts, Fourier coefficients and sigma, the control's gamma, and
   per geo x channel the ROAS and total contribution in target units, with national sums.
"""

import json
import os
import sys
import time

# Let NumPyro run the 4 chains on 2 host devices (the machine's cores) instead of one by one.
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=2")

import arviz as az
import numpy as np
import pandas as pd
import pymc_marketing
from pymc_extras.prior import Prior
from pymc_marketing.mmm import GeometricAdstock, LogisticSaturation
from pymc_marketing.mmm.fourier import generate_fourier_modes
from pytensor.xtensor import as_xtensor
from pymc_marketing.mmm.multidimensional import MMM

HERE = os.path.dirname(os.path.abspath(__file__))
PANEL = os.path.join(HERE, "panel.csv")
GEOS = ["north", "south", "west"]
CHANNELS = ["tv", "search", "social"]
CONTROLS = ["promo"]
FOURIER = ["sin_1", "sin_2", "cos_1", "cos_2"]
SEED = 20261203
CHAINS, TUNE, DRAWS = 4, 1000, 2000
if os.environ.get("QUICK"):  # a smoke run of the script itself; never written as the fixture
    CHAINS, TUNE, DRAWS = 2, 300, 300

# mu_c's prior: log of HalfNormal(2) has mean log 2 - (gamma + log 2) / 2 and sd pi / sqrt(8).
LOG_BETA_MU = float(np.log(2) - (np.euler_gamma + np.log(2)) / 2)
LOG_BETA_SIGMA = float(np.pi / np.sqrt(8))


def make_panel() -> pd.DataFrame:
    """3 geos x 104 weeks from the model above, in currency and target units."""
    rng = np.random.default_rng(SEED)
    T = 104
    dates = pd.date_range("2023-01-01", periods=T, freq="W-SUN")
    size = np.array([1.0, 0.6, 0.35])
    alpha = np.array([0.5, 0.2, 0.35])
    lam = np.array([2.5, 1.5, 2.0])
    beta = np.array([[0.20, 0.12, 0.08],
                     [0.16, 0.15, 0.06],
                     [0.24, 0.10, 0.09]])  # [geo, channel], scaled-target units per unit of h
    promo = (rng.uniform(size=T) < 0.08).astype(float)
    doy = dates.dayofyear.to_numpy()
    season = 0.06 * np.sin(2 * np.pi * doy / 365.25) + 0.03 * np.cos(2 * np.pi * doy / 365.25)
    rows = []
    spend = np.zeros((3, T, 3))
    for g in range(3):
        flights = (np.arange(T) // 6) % 3 != 2                     # tv: 4 weeks on, 2 off
        spend[g, :, 0] = size[g] * flights * rng.uniform(30_000, 60_000, T)
        spend[g, :, 1] = size[g] * rng.uniform(2_000, 16_000, T) * (rng.uniform(size=T) < 0.8)  # search: most weeks
        social = rng.uniform(5_000, 15_000, T) * (rng.uniform(size=T) < 0.7)
        if g == 2:
            social[:40] = 0                                          # social starts late in the west
        spend[g, :, 2] = size[g] * social
    peak = spend.max(axis=(0, 1))
    for g in range(3):
        mu = 0.55 * size[g] + season * size[g] + 0.05 * promo
        for c in range(3):
            w = alpha[c] ** np.arange(8)
            w /= w.sum()
            x = spend[g, :, c] / peak[c]
            a = np.array([sum(w[l] * x[t - l] for l in range(8) if t - l >= 0) for t in range(T)])
            mu = mu + beta[g, c] * (1 - np.exp(-lam[c] * a)) / (1 + np.exp(-lam[c] * a))
        y = (mu + rng.normal(0, 0.025, T)) * 2_000_000
        for t in range(T):
            rows.append({"date": dates[t].strftime("%Y-%m-%d"), "geo": GEOS[g], "population": 1_000_000,
                         **{ch: round(spend[g, t, c], 2) for c, ch in enumerate(CHANNELS)},
                         "promo": int(promo[t]), "sales": round(y[t], 2)})
    return pd.DataFrame(rows)


def model_config() -> dict:
    return {
        "intercept": Prior("Normal", mu=Prior("Normal", mu=0, sigma=2), sigma=Prior("HalfNormal", sigma=0.5), dims="geo"),
        "likelihood": Prior("Normal", sigma=Prior("HalfNormal", sigma=2, dims="geo"), dims=("date", "geo")),
        "gamma_control": Prior("Normal", mu=0, sigma=2, dims="control"),
        "gamma_fourier": Prior("Normal", mu=Prior("Laplace", mu=0, b=1, dims="fourier_mode"),
                               sigma=Prior("HalfNormal", sigma=0.2), dims=("geo", "fourier_mode"), centered=False),
        "adstock_alpha": Prior("Beta", alpha=1, beta=3, dims="channel"),
        "saturation_lam": Prior("Gamma", alpha=3, beta=1, dims="channel"),
        "saturation_beta": Prior("Normal", mu=Prior("Normal", mu=LOG_BETA_MU, sigma=LOG_BETA_SIGMA, dims="channel"),
                                 sigma=Prior("HalfNormal", sigma=0.5, dims="channel"),
                                 dims=("geo", "channel"), centered=False, transform="exp"),
    }


def describe(values: np.ndarray, name: str, pymc_name: str, idata_draws: np.ndarray) -> dict:
    """Mean, sd, bulk ESS and R-hat of one scalar quantity; `idata_draws` is (chain, draw)."""
    return {"name": name, "pymc_name": pymc_name, "mean": float(values.mean()), "sd": float(values.std(ddof=1)),
            "ess_bulk": float(az.ess(idata_draws, method="bulk")), "r_hat": float(az.rhat(idata_draws))}


def main() -> None:
    if not os.path.exists(PANEL):
        make_panel().to_csv(PANEL, index=False)
        print(f"wrote {PANEL}", file=sys.stderr)
    df = pd.read_csv(PANEL, parse_dates=["date"])
    X = df[["date", "geo", *CHANNELS, *CONTROLS]]
    y = df["sales"].rename("y")

    mmm = MMM(date_column="date", channel_columns=CHANNELS, control_columns=CONTROLS, target_column="y",
              dims=("geo",), adstock=GeometricAdstock(l_max=8), saturation=LogisticSaturation(),
              yearly_seasonality=2, model_config=model_config())
    start = time.perf_counter()
    idata = mmm.fit(X, y, chains=CHAINS, tune=TUNE, draws=DRAWS, target_accept=0.9, nuts_sampler="numpyro",
                    random_seed=SEED, progressbar=False)
    seconds = time.perf_counter() - start
    post = idata.posterior
    target_scale = float(np.asarray(mmm.scalers._target).ravel()[0])
    channel_scale = [float(v) for v in np.asarray(mmm.scalers._channel.sel(channel=CHANNELS)).ravel()]

    quantities = []

    def add(name, pymc_name, da):
        quantities.append(describe(da.values.ravel(), name, pymc_name, da.values))

    # Shared across geos.
    for c in CHANNELS:
        add(f"{c}.adstock_alpha", f"adstock_alpha[{c}]", post["adstock_alpha"].sel(channel=c))
        add(f"{c}.saturation_lambda", f"saturation_lam[{c}]", post["saturation_lam"].sel(channel=c))
        add(f"{c}.log_beta_mean", f"saturation_beta_raw_mu[{c}]", post["saturation_beta_raw_mu"].sel(channel=c))
        add(f"{c}.log_beta_scale", f"saturation_beta_raw_sigma[{c}]", post["saturation_beta_raw_sigma"].sel(channel=c))
    add("intercept", "intercept_contribution_mu", post["intercept_contribution_mu"])
    add("intercept_scale", "intercept_contribution_sigma", post["intercept_contribution_sigma"])
    for mode in FOURIER:
        kind, j = mode.split("_")
        add(f"fourier_{kind}[{j}]", f"gamma_fourier_mu[{mode}]", post["gamma_fourier_mu"].sel(fourier_mode=mode))
    add("fourier_scale", "gamma_fourier_sigma", post["gamma_fourier_sigma"])
    for k in CONTROLS:
        add(f"gamma_control[{k}]", f"gamma_control[{k}]", post["gamma_control"].sel(control=k))
    # Per geo.
    contribution = post["channel_contribution"].sum(dim="date") * target_scale   # (chain, draw, geo, channel)
    spend = df.groupby("geo")[CHANNELS].sum()
    for geo in GEOS:
        add(f"intercept[{geo}]", f"intercept_contribution[{geo}]", post["intercept_contribution"].sel(geo=geo))
        add(f"sigma[{geo}]", f"y_sigma[{geo}]", post["y_sigma"].sel(geo=geo))
        for mode in FOURIER:
            kind, j = mode.split("_")
            add(f"{geo}/fourier_{kind}[{j}]", f"gamma_fourier[{geo}, {mode}]", post["gamma_fourier"].sel(geo=geo, fourier_mode=mode))
        for c in CHANNELS:
            add(f"{geo}/{c}.log_beta", f"saturation_beta_raw[{geo}, {c}]", post["saturation_beta_raw"].sel(geo=geo, channel=c))
            cell = contribution.sel(geo=geo, channel=c)
            add(f"{geo}/{c}.contribution", f"sum_date channel_contribution[{geo}, {c}] * target_scale", cell)
            add(f"{geo}/{c}.roas", f"sum_date channel_contribution[{geo}, {c}] * target_scale / spend", cell / float(spend.loc[geo, c]))
    for c in CHANNELS:
        total = contribution.sel(channel=c).sum(dim="geo")
        add(f"{c}.contribution", f"sum_date,geo channel_contribution[{c}] * target_scale", total)
        add(f"{c}.roas", f"sum_date,geo channel_contribution[{c}] * target_scale / spend", total / float(spend[c].sum()))

    dates = pd.DatetimeIndex(sorted(df["date"].unique()))
    # PyMC-Marketing's own Fourier modes for the first 8 weeks (what YearlyFourier.apply multiplies).
    periods = as_xtensor(dates.dayofyear.to_numpy()[:8] / mmm.yearly_fourier.days_in_period, dims=("date",))
    modes = generate_fourier_modes(periods, n_order=2).eval()
    fourier_basis = {mode: [float(v) for v in modes[:, i]] for i, mode in enumerate(FOURIER)}

    sample_stats = idata.sample_stats
    out = {
        "generator": "Tests/Fixtures/model/pymc-geo/make_pymc_geo_fixture.py",
        "pymc_marketing_version": pymc_marketing.__version__,
        "data": "Tests/Fixtures/model/pymc-geo/panel.csv",
        "sampler": {"name": "numpyro", "chains": CHAINS, "tune": TUNE, "draws": DRAWS, "target_accept": 0.9, "seed": SEED},
        "fit_seconds": round(seconds, 1),
        "divergences": int(sample_stats["diverging"].values.sum()),
        "mean_tree_size": float(sample_stats["n_steps"].values.mean()) if "n_steps" in sample_stats else None,
        "min_ess_bulk": float(min(q["ess_bulk"] for q in quantities)),
        "max_r_hat": float(max(q["r_hat"] for q in quantities)),
        "priors": {
            "adstock_alpha": "Beta(1, 3)", "saturation_lambda": "Gamma(3, 1)",
            "log_beta_mean": f"Normal({LOG_BETA_MU!r}, {LOG_BETA_SIGMA!r})", "log_beta_scale": "HalfNormal(0.5)",
            "intercept": "Normal(0, 2)", "intercept_scale": "HalfNormal(0.5)",
            "fourier": "Laplace(0, 1)", "fourier_scale": "HalfNormal(0.2)",
            "gamma_control": "Normal(0, 2)", "sigma": "HalfNormal(2)",
        },
        "log_beta_prior": {"mu": LOG_BETA_MU, "sigma": LOG_BETA_SIGMA},
        "scales": {"channel": channel_scale, "target": target_scale},
        "fourier_basis_first_weeks": fourier_basis,
        "quantities": quantities,
    }
    path = os.path.join(HERE, "pymc_geo_summary.json" if not os.environ.get("QUICK") else "/tmp/pymc_geo_quick.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(json.dumps({k: v for k, v in out.items() if k != "quantities"}, indent=2))
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
