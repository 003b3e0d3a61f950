#!/usr/bin/env python3
"""Checks MixPlan's ArviZ export with ArviZ itself and writes the fixture the Swift tests use.

Run from the package root after `swift build -c release --product mixplan` (needs arviz and
netCDF4 in the Python environment; the Swift tests never need Python):

    sh Tests/Fixtures/arviz/make-model.sh          # the small model folder, with sample_stats.csv
    .build/release/mixplan export --model Tests/Fixtures/arviz/model --format netcdf --out /tmp/model.nc --force
    python3 Tests/Fixtures/arviz/make_fixture.py Tests/Fixtures/arviz/model /tmp/model.nc Tests/Fixtures/arviz/arviz_fixture.json

It opens the file with `az.from_netcdf`, checks the groups, dimensions and coordinates, and
compares `az.summary` with the model's summary.csv (MixPlan's own ArviZ-style summary), failing
loudly on any disagreement beyond the tolerances below. The fixture records what ArviZ saw
(groups, variable dimensions and shapes, ArviZ's summary per parameter, sample-stat totals) so
the Swift test can check a fresh export against it.
"""
import csv
import json
import re
import sys

import arviz as az
import numpy as np

# Tolerances. mean and sd are plain sums over the same draws: only rounding differs.
# ESS and R-hat go through FFT autocovariances (ArviZ) versus MixPlan's own code: agreement to
# 1e-6 relative is expected; HDI: both take the narrowest interval of sorted draws, so the
# endpoints are the same draws.
RTOL = {"mean": 1e-10, "sd": 1e-10, "hdi_3%": 1e-12, "hdi_97%": 1e-12,
        "ess_bulk": 1e-6, "ess_tail": 1e-6, "r_hat": 1e-6, "mcse_mean": 1e-6, "mcse_sd": 1e-6}


def arviz_name(name, channels):
    """MixPlan's flat parameter name -> ArviZ's summary row for the exported variable."""
    for ch in sorted(channels, key=len, reverse=True):
        if name.startswith(ch + "."):
            return f"{name[len(ch) + 1:]}[{ch}]"
    return name  # "gamma_control[event_1]", "fourier_sin[1]", "sigma" are spelled alike


def main(model_dir, nc_path, out_path):
    idata = az.from_netcdf(nc_path)
    groups = list(idata.groups())
    for g in ["posterior", "sample_stats", "observed_data", "constant_data"]:
        assert g in groups, f"group {g} missing: {groups}"
    manifest = json.load(open(f"{model_dir}/model.json"))
    channels = manifest["channelNames"]
    post = idata.posterior
    assert list(post.coords["channel"].values) == channels, post.coords["channel"].values
    assert post.sizes["chain"] == manifest["chains"] and post.sizes["draw"] == manifest["drawsPerChain"]

    summary = az.summary(idata, kind="all", round_to="none", hdi_prob=0.94)
    mine = {row["parameter"]: row for row in csv.DictReader(open(f"{model_dir}/summary.csv"))}
    compared = {}
    worst = {}
    for name, row in mine.items():
        key = arviz_name(name, channels)
        assert key in summary.index, f"{key} ({name}) not in az.summary: {list(summary.index)}"
        theirs = summary.loc[key]
        compared[key] = {c: float(theirs[c]) for c in RTOL}
        for column, rtol in RTOL.items():
            a, b = float(row[column]), float(theirs[column])
            err = abs(a - b) / max(abs(b), 1e-300)
            worst[column] = max(worst.get(column, 0.0), err)
            assert err <= rtol or abs(a - b) < 1e-14, f"{name} {column}: summary.csv {a} vs az.summary {b} (rel {err:.2e} > {rtol})"
    print("az.summary agrees with summary.csv; worst relative differences:")
    for column, err in worst.items():
        print(f"  {column:10s} {err:.2e}")

    stats = idata.sample_stats
    assert stats["diverging"].dtype == bool, stats["diverging"].dtype
    fixture = {
        "groups": groups,
        "posterior": {v: {"dims": list(post[v].dims), "shape": list(post[v].shape)} for v in post.data_vars},
        "coords": {d: [str(x) for x in post.coords[d].values] for d in post.dims if d not in ("chain", "draw")},
        "summary": compared,
        "sample_stats": {
            "vars": sorted(stats.data_vars),
            "diverging_sum": int(stats["diverging"].sum()),
            "tree_depth_sum": int(stats["tree_depth"].sum()),
            "energy_mean": float(stats["energy"].mean()),
            "lp_mean": float(stats["lp"].mean()),
            "bfmi": [float(x) for x in az.bfmi(idata)],
        },
        "observed_data": {"dims": list(idata.observed_data["y"].dims), "sum": float(idata.observed_data["y"].sum())},
        "constant_data": {v: {"dims": list(idata.constant_data[v].dims), "sum": float(idata.constant_data[v].sum())}
                          for v in idata.constant_data.data_vars},
        "arviz_version": az.__version__,
    }
    with open(out_path, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {out_path}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
