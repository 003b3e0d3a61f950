"""Fits samples/weekly-2ch with PyMC-Marketing and writes its posterior summary, the reference
for MixPlan's agreement test (issue 4, point 7).

Run once, from the package root, in a virtualenv outside the repository:

    python3 -m venv /work/venv-pymc && /work/venv-pymc/bin/pip install pymc-marketing numpyro
    /work/venv-pymc/bin/python Tests/Fixtures/model/pymc/make_pymc_fixture.py

Model (PyMC-Marketing's `MMM`, its default priors and max-abs scaling of channels and target):
geometric adstock with l_max = 8 (normalised, convolution mode "After"), Michaelis-Menten
saturation, yearly Fourier order 2 on day of year / 365.25, the two event columns as controls,
Normal likelihood. Sampled with NumPyro's NUTS, 4 chains x 2000 warm-up + 2000 draws.

Writes `pymc_weekly2ch_summary.json` next to this script: per parameter (named as MixPlan names
it, PyMC-Marketing's name alongside) the posterior mean, sd, bulk ESS and R-hat; per channel
the total contribution over the training periods in target units; the wall time of `fit`.
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
from pymc_marketing.mmm import MMM, GeometricAdstock, MichaelisMentenSaturation

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
DATA = os.path.join(ROOT, "samples", "weekly-2ch", "data.csv")
CHANNELS = ["x1", "x2"]
CONTROLS = ["event_1", "event_2"]
SEED = 20261123


def main() -> None:
    df = pd.read_csv(DATA, parse_dates=["date"])
    X = df[["date", *CHANNELS, *CONTROLS]]
    y = df["sales"]

    mmm = MMM(
        date_column="date",
        channel_columns=CHANNELS,
        control_columns=CONTROLS,
        adstock=GeometricAdstock(l_max=8),
        saturation=MichaelisMentenSaturation(),
        yearly_seasonality=2,
    )
    start = time.perf_counter()
    idata = mmm.fit(
        X,
        y,
        chains=4,
        tune=2000,
        draws=2000,
        target_accept=0.9,
        nuts_sampler="numpyro",
        random_seed=SEED,
        progressbar=False,
    )
    seconds = time.perf_counter() - start
    post = idata.posterior

    # (MixPlan name, PyMC-Marketing variable, coordinate selection)
    mapping = [("intercept", "intercept", {})]
    for c in CHANNELS:
        mapping += [
            (f"{c}.adstock_alpha", "adstock_alpha", {"channel": c}),
            (f"{c}.saturation_lambda", "saturation_lam", {"channel": c}),
            (f"{c}.saturation_beta", "saturation_alpha", {"channel": c}),
        ]
    for k in CONTROLS:
        mapping.append((f"gamma_control[{k}]", "gamma_control", {"control": k}))
    for kind in ["sin", "cos"]:
        for j in [1, 2]:
            mapping.append((f"fourier_{kind}[{j}]", "gamma_fourier", {"fourier_mode": f"{kind}_{j}"}))
    mapping.append(("sigma", "y_sigma", {}))

    summary = az.summary(idata, var_names=sorted({m[1] for m in mapping}), kind="all")
    parameters = []
    for ours, theirs, sel in mapping:
        draws = post[theirs].sel(sel).values.ravel()
        label = theirs + ("[" + ", ".join(str(v) for v in sel.values()) + "]" if sel else "")
        row = summary.loc[label]
        parameters.append({
            "name": ours,
            "pymc_name": label,
            "mean": float(draws.mean()),
            "sd": float(draws.std(ddof=1)),
            "ess_bulk": float(row["ess_bulk"]),
            "r_hat": float(row["r_hat"]),
        })

    totals = post["channel_contribution_original_scale"].sum(dim="date")
    contributions = []
    for c in CHANNELS:
        t = totals.sel(channel=c).values.ravel()
        contributions.append({"channel": c, "mean": float(t.mean()), "sd": float(t.std(ddof=1))})

    divergences = int(idata.sample_stats["diverging"].values.sum())
    out = {
        "generator": "Tests/Fixtures/model/pymc/make_pymc_fixture.py",
        "pymc_marketing_version": pymc_marketing.__version__,
        "data": "samples/weekly-2ch/data.csv",
        "sampler": {"name": "numpyro", "chains": 4, "tune": 2000, "draws": 2000,
                    "target_accept": 0.9, "seed": SEED},
        "fit_seconds": round(seconds, 1),
        "divergences": divergences,
        "min_ess_bulk": float(min(p["ess_bulk"] for p in parameters)),
        "max_r_hat": float(max(p["r_hat"] for p in parameters)),
        "scales": {"channel": [float(v) for v in np.asarray(mmm.channel_scale).ravel()],
                   "target": float(mmm.target_scale)},
        "parameters": parameters,
        "contribution_totals": contributions,
    }
    path = os.path.join(HERE, "pymc_weekly2ch_summary.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(json.dumps(out, indent=2))
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
