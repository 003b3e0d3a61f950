"""The geo model of peers.py: geo-8x156 (8 geos x 156 weeks x 8 channels, `mixplan simulate --preset
geo-8x156 --seed 1`), fitted by MixPlan's geo model under `model.default_priors: pymc-marketing` and by
PyMC-Marketing's multidimensional MMM with the nested priors of the geo agreement fixture.

MixPlan's side is bench/peers/geo-8x156.yaml (copied next to the simulated data.csv). PyMC-Marketing's
side is Tests/Fixtures/model/pymc-geo/make_pymc_geo_fixture.py's model (its model_config() is imported,
not copied) with yearly_seasonality=1, on the per-head series: target and spend of geo g divided by its
population n_g. MixPlan divides target and spend by n_g and then by one panel-wide maximum each;
PyMC-Marketing with dims ("geo",) divides by the maximum over date and geo. Fed y/n_g and x/n_g, its
maximum is MixPlan's, so both models see the same scaled numbers (`check_scales` compares them).

Both sides' summaries are keyed by MixPlan's parameter names (summary.csv of the geo model folder), so
the smallest bulk ESS is taken over the same quantities and the posterior means can be compared.
"""

import importlib.util
import os
import re
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "model", "pymc-geo", "make_pymc_geo_fixture.py")
CONFIG = os.path.join(HERE, "geo-8x156.yaml")
MODELS = {"geo-8x156": ("geo-8x156", 1)}    # benchmark name -> (simulator preset, seed)


def spec(name: str, binary: str, work: str) -> dict:
    """Simulates the panel once (kept in `work`), writes the per-head copy and MixPlan's config."""
    preset, seed = MODELS[name]
    folder = os.path.join(work, name)
    data = os.path.join(folder, "data.csv")
    if not os.path.exists(data):
        subprocess.run([binary, "simulate", "--preset", preset, "--seed", str(seed), "--out", folder],
                       check=True, capture_output=True)
    with open(CONFIG) as f:
        text = f.read()
    channels = [c.strip() for c in re.search(r"^  channels: \[(.*)\]$", text, re.M).group(1).split(",")]
    import pandas as pd
    df = pd.read_csv(data)
    extra = [c for c in df.columns if c not in {"date", "geo", "population", "sales", *channels}]
    if extra:
        # MixPlan standardises controls over the panel; PyMC-Marketing uses them as given. Not matched here.
        raise SystemExit(f"{data} has columns {extra} that {CONFIG} does not model")
    per_head = df.copy()
    for column in ["sales", *channels]:
        per_head[column] = df[column] / df["population"]
    per_head_path = os.path.join(folder, "per-head.csv")
    per_head.to_csv(per_head_path, index=False)
    config = os.path.join(folder, "mixplan-peers.yaml")
    shutil.copyfile(CONFIG, config)
    return {"data": data, "per_head": per_head_path, "config": config, "channels": channels, "controls": []}


def fixture():
    """The PyMC geo fixture script as a module (its main() does not run)."""
    loaded = importlib.util.spec_from_file_location("make_pymc_geo_fixture", FIXTURE)
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def fit_pymc(spec_: dict, sampler: str, chains: int, warmup: int, draws: int, target_accept: float, seed: int):
    """Fits the per-head panel with PyMC-Marketing; returns (idata, mmm)."""
    import pandas as pd
    from pymc_marketing.mmm import GeometricAdstock, LogisticSaturation
    from pymc_marketing.mmm.multidimensional import MMM

    df = pd.read_csv(spec_["per_head"], parse_dates=["date"])
    channels = spec_["channels"]
    mmm = MMM(date_column="date", channel_columns=channels, target_column="y", dims=("geo",),
              adstock=GeometricAdstock(l_max=8), saturation=LogisticSaturation(), yearly_seasonality=1,
              model_config=fixture().model_config())
    idata = mmm.fit(df[["date", "geo", *channels]], df["sales"].rename("y"), chains=chains, tune=warmup, draws=draws,
                    target_accept=target_accept, nuts_sampler=sampler, random_seed=seed, progressbar=False)
    return idata, mmm


def pymc_quantities(idata, channels: list) -> dict:
    """Every sampled quantity, named as MixPlan's geo model names it: name -> (chain, draw) array."""
    post = idata.posterior
    geos = [str(g) for g in post["geo"].values]
    modes = [str(m) for m in post["fourier_mode"].values]
    out = {"intercept": post["intercept_contribution_mu"], "intercept_scale": post["intercept_contribution_sigma"],
           "fourier_scale": post["gamma_fourier_sigma"]}
    for c in channels:
        out[f"{c}.adstock_alpha"] = post["adstock_alpha"].sel(channel=c)
        out[f"{c}.saturation_lambda"] = post["saturation_lam"].sel(channel=c)
        out[f"{c}.log_beta_mean"] = post["saturation_beta_raw_mu"].sel(channel=c)
        out[f"{c}.log_beta_scale"] = post["saturation_beta_raw_sigma"].sel(channel=c)
        for g in geos:
            out[f"{c}.log_beta_z[{g}]"] = post["saturation_beta_raw_offset"].sel(geo=g, channel=c)
    for mode in modes:
        kind, j = mode.split("_")
        out[f"fourier_{kind}[{j}]"] = post["gamma_fourier_mu"].sel(fourier_mode=mode)
        for g in geos:
            out[f"fourier_{kind}[{j}]_z[{g}]"] = post["gamma_fourier_offset"].sel(geo=g, fourier_mode=mode)
    for g in geos:
        out[f"intercept[{g}]"] = post["intercept_contribution"].sel(geo=g)
        out[f"sigma[{g}]"] = post["y_sigma"].sel(geo=g)
    return {k: v.transpose("chain", "draw").values for k, v in out.items()}


def summarise(quantities: dict) -> dict:
    """Mean, sd and bulk ESS (ArviZ) of each quantity."""
    import arviz as az
    return {k: {"mean": float(v.mean()), "sd": float(v.std(ddof=1)), "ess_bulk": float(az.ess(v, method="bulk")),
                "r_hat": float(az.rhat(v))} for k, v in quantities.items()}


def check_scales(mmm, spec_: dict) -> dict:
    """PyMC-Marketing's target and channel scales against MixPlan's k_y and k_c (max over geos and
    periods of y/n_g and x/n_g, computed here from the raw panel): their largest relative difference."""
    import numpy as np
    import pandas as pd
    df = pd.read_csv(spec_["data"])
    k_y = float((df["sales"] / df["population"]).max())
    k_c = [float((df[c] / df["population"]).max()) for c in spec_["channels"]]
    target = np.asarray(mmm.scalers._target).ravel()
    channel = np.asarray(mmm.scalers._channel.sel(channel=spec_["channels"]).transpose("channel", ...)).reshape(len(k_c), -1)
    worst = max(float(np.max(np.abs(target / k_y - 1))),
                max(float(np.max(np.abs(channel[i] / k_c[i] - 1))) for i in range(len(k_c))))
    return {"target_scale": [float(v) for v in target], "k_y": k_y, "worst_relative_scale_difference": worst}


def mixplan_summary(folder: str) -> dict:
    """MixPlan's summary.csv: name -> mean, sd, bulk ESS, R-hat."""
    with open(os.path.join(folder, "summary.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    head = rows[0]
    i = {k: head.index(k) for k in ["mean", "sd", "ess_bulk", "r_hat"]}
    return {r[0]: {k: float(r[j]) for k, j in i.items()} for r in rows[1:]}


def compare(ours: dict, theirs: dict) -> dict:
    """Posterior means of the same quantities: |Δmean| in the peer's posterior sd, and in Monte Carlo
    standard errors sd·sqrt(1/ESS_ours + 1/ESS_theirs) (two correct fits differ by about 1 of those)."""
    shared = sorted(set(ours) & set(theirs))
    rows = []
    for k in shared:
        a, b = ours[k], theirs[k]
        delta = abs(a["mean"] - b["mean"])
        mcse = b["sd"] * (1 / a["ess_bulk"] + 1 / b["ess_bulk"]) ** 0.5
        rows.append((k, delta / b["sd"], delta / mcse, a["sd"] / b["sd"] - 1))
    worst = max(rows, key=lambda r: r[1])
    worst_z = max(rows, key=lambda r: r[2])
    worst_sd = max(rows, key=lambda r: abs(r[3]))
    return {"compared": len(rows), "only_mixplan": sorted(set(ours) - set(theirs)), "only_peer": sorted(set(theirs) - set(ours)),
            "worst_delta_mean_over_sd": {"name": worst[0], "value": worst[1]},
            "worst_delta_mean_over_mcse": {"name": worst_z[0], "value": worst_z[2]},
            "worst_sd_ratio_minus_1": {"name": worst_sd[0], "value": worst_sd[3]},
            "over_3_mcse": sum(1 for r in rows if r[2] > 3)}
