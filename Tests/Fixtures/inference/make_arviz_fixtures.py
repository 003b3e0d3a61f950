"""Generate arviz_diagnostics.json: fixed draw sets and ArviZ's diagnostics on them.

Run once with ArviZ from PyPI (tested with arviz 0.23.4):
    python3 -m venv /work/venv-arviz && /work/venv-arviz/bin/pip install arviz
    /work/venv-arviz/bin/python Tests/Fixtures/inference/make_arviz_fixtures.py
The Swift tests (MixInferenceTests/DiagnosticsTests.swift) recompute every value from the draws.
"""
import json
import os

import numpy as np
import arviz as az


def ar1(rng, chains, draws, phi, innovations=None, shifts=None):
    out = np.empty((chains, draws))
    for c in range(chains):
        eps = innovations(rng, draws) if innovations else rng.standard_normal(draws)
        x = eps[0] / np.sqrt(max(1e-12, 1 - phi * phi))
        for t in range(draws):
            x = phi * x + eps[t] if t else x
            out[c, t] = x
        if shifts is not None:
            out[c] += shifts[c]
    return out


def main():
    rng = np.random.default_rng(20261123)
    cases = {
        "ar1_phi0.3": ar1(rng, 4, 500, 0.3),
        "ar1_phi0.95": ar1(rng, 4, 1000, 0.95),
        "antithetic_phi-0.5": ar1(rng, 4, 400, -0.5),
        "heavy_tailed_t2": ar1(rng, 4, 600, 0.5, innovations=lambda r, n: r.standard_t(2, n)),
        "chain_shifted": ar1(rng, 4, 300, 0.6, shifts=[0.0, 0.0, 0.8, -0.5]),
        "odd_length_3_chains": ar1(rng, 3, 201, 0.4),
        "scale_different": ar1(rng, 4, 400, 0.2) * np.array([1.0, 1.0, 1.0, 3.0])[:, None],
    }
    out = []
    for name, draws in cases.items():
        idata = az.from_dict(posterior={"x": draws})
        summary = az.summary(idata, kind="all", round_to="none", hdi_prob=0.94)
        row = summary.loc["x"]
        out.append({
            "name": name,
            # As shortest round-trip decimal strings: Foundation's JSONSerialization on Linux parses
            # JSON numbers up to an ulp off, which would break exact ties that R-hat's folding creates.
            "draws": [[repr(float(v)) for v in chain] for chain in draws],
            "rhat": float(az.rhat(idata, method="rank")["x"]),
            "ess_bulk": float(az.ess(idata, method="bulk")["x"]),
            "ess_tail": float(az.ess(idata, method="tail")["x"]),
            "ess_mean": float(az.ess(idata, method="mean")["x"]),
            "mcse_mean": float(az.mcse(idata, method="mean")["x"]),
            "mcse_sd": float(az.mcse(idata, method="sd")["x"]),
            "mean": float(row["mean"]),
            "sd": float(row["sd"]),
            "hdi_3": float(row["hdi_3%"]),
            "hdi_97": float(row["hdi_97%"]),
            # Treat the draws as energies to check E-BFMI per chain as well.
            "bfmi": [float(v) for v in az.bfmi(draws)],
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "arviz_diagnostics.json")
    with open(path, "w") as f:
        json.dump({"arviz_version": az.__version__, "cases": out}, f)
    for case in out:
        print(case["name"], {k: round(v, 4) for k, v in case.items() if isinstance(v, float)})


if __name__ == "__main__":
    main()
