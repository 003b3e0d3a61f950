#!/usr/bin/env python3
"""MixPlan against PyMC-Marketing (+ NumPyro, + nutpie), side by side on one machine.

Optional tooling: no test needs it. It creates a virtualenv OUTSIDE the repository (default
/work/venv-peers, or $MIXPLAN_PEERS_VENV) and installs pymc-marketing, numpyro and nutpie there,
then re-runs itself inside it. Build MixPlan first (`swift build -c release`, or point
$MIXPLAN_BIN at a built `mixplan`); run from the package root:

    python3 bench/peers/peers.py                      # 2 rounds, both models, all three samplers
    python3 bench/peers/peers.py --rounds 3 --models weekly-2ch

Models (the same data and the same model on both sides):
  weekly-2ch  samples/weekly-2ch/data.csv with Tests/Fixtures/model/pymc/mixplan.yaml's model:
              geometric adstock (8 lags), Michaelis-Menten, PyMC-Marketing's default priors
              written out, yearly Fourier order 2, the two event controls.
  sim-10ch    10 channels, 25 controls (20 continuous, 5 event dummies), 209 weeks, simulated
              here with a fixed seed (written to the work folder), the same model and priors
              except λ ~ Gamma(mu=1, sigma=0.5) on both sides (see LAMBDA_PRIOR).
  geo-8x156   `mixplan simulate --preset geo-8x156 --seed 1`: MixPlan's geo model under
              default_priors: pymc-marketing against PyMC-Marketing's multidimensional MMM with the
              geo fixture's nested priors, fed per-head series (geo.py says how they are matched).
              Not in the default --models; run it with --models geo-8x156. Each round also compares
              the two posteriors' means (the match check written beside the table).
Every run: 4 chains x 1000 warm-up x 1000 draws, target acceptance 0.9. The runs alternate
(MixPlan, NumPyro, nutpie, then the next round) so load from other processes hits all alike.

Measured per run: wall seconds and CPU seconds of the whole process (start-up, data loading,
compilation and sampling: what a user waits for), and for the Python samplers also of the fit
call alone; the smallest bulk ESS over the model's parameters (ArviZ on the Python side,
MixPlan's ArviZ-identical diagnostics on ours); min-ESS per wall second, and MixPlan's ratio to
each peer. To show where a difference comes from, also the leapfrog steps per post-warm-up draw
and min ESS per 1,000 post-warm-up gradients (the sampler's efficiency, apart from what one
gradient costs). MixPlan runs with --backtest off: the peers do no out-of-sample refit. Writes bench/peers/results.md (the table the README quotes) and results.json.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import geo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
VENV = os.environ.get("MIXPLAN_PEERS_VENV", "/work/venv-peers")
PACKAGES = ["pymc-marketing", "numpyro", "nutpie"]
WORK = os.environ.get("MIXPLAN_PEERS_WORK", "/tmp/mixplan-peers")
CHAINS, WARMUP, DRAWS, TARGET_ACCEPT, SEED = 4, 1000, 1000, 0.9, 20261203

# sim-10ch replaces PyMC-Marketing's default HalfNormal(1) on the half-saturation point λ by a
# Gamma(mu=1, sigma=0.5) on BOTH sides: with the default, MixPlan's fit of this simulation did
# not converge (several small Michaelis-Menten effects fall into the λ -> 0 funnel, where the curve
# is a constant that trades off with the intercept), so no ratio could be formed. The true λ here
# are 0.30-0.57 (x scaled by its maximum), well inside both priors.
LAMBDA_PRIOR = {"weekly-2ch": ("HalfNormal(1)", None), "sim-10ch": ("Gamma(mu=1, sigma=0.5)", ("Gamma", 1.0, 0.5))}

PRIORS_YAML = """  priors:
    intercept: Normal(0, 2)
    adstock_alpha: Beta(1, 3)
    saturation_lambda: {lam}
    saturation_beta: Gamma(mu=2, sigma=1)
    gamma_control: Normal(0, 2)
    gamma_fourier: Laplace(0, 1)
    sigma: HalfNormal(2)
"""


def ensure_venv() -> None:
    """Create the virtualenv and install the peers on first use, then re-exec inside it."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", *PACKAGES])
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


# ---------------------------------------------------------------------------------------------
# Models and data


def mixplan_binary() -> str:
    binary = os.environ.get("MIXPLAN_BIN", os.path.join(ROOT, ".build", "release", "mixplan"))
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: run `swift build -c release` first")
    return binary


def model_spec(name: str) -> dict:
    """Data file, channel and control columns of one benchmark model (writing sim-10ch's data)."""
    if name in geo.MODELS:
        return geo.spec(name, mixplan_binary(), WORK)
    if name == "weekly-2ch":
        return {"data": os.path.join(ROOT, "samples", "weekly-2ch", "data.csv"),
                "channels": ["x1", "x2"], "controls": ["event_1", "event_2"]}
    if name == "sim-10ch":
        return simulate_10ch()
    raise SystemExit(f"unknown model {name!r}: use weekly-2ch, sim-10ch or geo-8x156")


def simulate_10ch() -> dict:
    """10 channels, 25 controls, 209 weeks: geometric adstock + Michaelis-Menten, fixed seed."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(2025)
    weeks = 209
    dates = pd.date_range("2021-01-04", periods=weeks, freq="7D")
    channels = [f"ch{i + 1}" for i in range(10)]
    controls = [f"c{i + 1}" for i in range(20)] + [f"event{i + 1}" for i in range(5)]
    df = pd.DataFrame({"date": dates.strftime("%Y-%m-%d")})
    y = np.full(weeks, 1.0)
    t = np.arange(weeks)
    y += 0.08 * np.sin(2 * np.pi * t / 52.18) + 0.05 * np.cos(2 * np.pi * t / 52.18)
    for i, c in enumerate(channels):
        level = 1000.0 * (1 + i)
        on = rng.random(weeks) < (0.5 if i % 3 == 0 else 0.9)      # every third channel is flighted
        spend = level * on * rng.lognormal(0.0, 0.4, weeks)
        df[c] = spend.round(2)
        alpha, lam, beta = 0.1 + 0.05 * i, 0.3 + 0.03 * i, 0.15 + 0.02 * (i % 4)
        x = spend / spend.max()
        carried = np.zeros(weeks)
        for lag in range(8):
            carried[lag:] += alpha ** lag * x[: weeks - lag]
        carried /= sum(alpha ** lag for lag in range(8))
        y += beta * carried / (lam + carried)
    for i, c in enumerate(controls):
        if c.startswith("event"):
            z = np.zeros(weeks)
            z[rng.choice(weeks, size=3, replace=False)] = 1
        else:
            z = rng.normal(0, 1, weeks)
        df[c] = z.round(4)
        y += (0.03 if i % 2 else -0.02) * z
    y += rng.normal(0, 0.04, weeks)
    df["sales"] = (10000 * y).round(2)
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, "sim-10ch.csv")
    df.to_csv(path, index=False)
    return {"data": path, "channels": channels, "controls": controls}


def mixplan_config(name: str, spec: dict) -> str:
    """MixPlan's config for the model: PyMC-Marketing's priors and the shared sampler settings."""
    text = f"""data:
  file: {spec['data']}
  date_column: date
  date_format: iso
  target: sales
  channels: [{', '.join(spec['channels'])}]
  controls: [{', '.join(spec['controls'])}]
model:
  adstock: geometric
  adstock_max_lag: 8
  saturation: michaelis_menten
  yearly_seasonality: 2
  trend: false
  likelihood: normal
  default_priors: pymc-marketing
{PRIORS_YAML.format(lam=LAMBDA_PRIOR[name][0])}sampler:
  chains: {CHAINS}
  warmup: {WARMUP}
  draws: {DRAWS}
  target_accept: {TARGET_ACCEPT}
  seed: 1
"""
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, f"{name}.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


# ---------------------------------------------------------------------------------------------
# One run of each side, each in its own process


def timed(command: list, env=None) -> tuple:
    """Runs `command`; returns (wall seconds, CPU seconds of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env)    # stderr passes through
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):           # mixplan fit exits 1 when not converged
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}); its stderr is above")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def run_mixplan(name: str, spec: dict, round_: int) -> dict:
    binary = mixplan_binary()
    out = os.path.join(WORK, f"mixplan-{name}-{round_}")
    config = spec.get("config") or mixplan_config(name, spec)
    # --backtest off: by default `mixplan fit` also refits without the last periods for an
    # out-of-sample check (about a quarter more sampling); the peers do no such thing, so it is off
    # here to compare the same work.
    wall, cpu, _ = timed([binary, "fit", "-c", config, "-o", out, "--quiet", "--allow-unconverged",
                          "--backtest", "off", "--seed", str(SEED + round_)])
    with open(os.path.join(out, "summary.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    column = rows[0].index("ess_bulk")
    ess = min(float(r[column]) for r in rows[1:])
    with open(os.path.join(out, "sample_stats.csv")) as f:
        stats = [line.rstrip("\n").split(",") for line in f if line.strip()]
    steps, diverging = stats[0].index("n_steps"), stats[0].index("diverging")
    leapfrogs = sum(int(r[steps]) for r in stats[1:])
    r_hat = max(float(r[rows[0].index("r_hat")]) for r in rows[1:])
    return {"wall": wall, "cpu": cpu, "fit_wall": None, "fit_cpu": None, "min_ess_bulk": ess, "draw_leapfrogs": leapfrogs,
            "max_r_hat": r_hat, "divergences": sum(int(r[diverging]) for r in stats[1:]), "folder": out}


def run_peer(sampler: str, name: str, round_: int) -> dict:
    result = os.path.join(WORK, f"{sampler}-{name}-{round_}.json")
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2")
    if os.path.exists(result):
        os.remove(result)
    wall, cpu, _ = timed([sys.executable, os.path.abspath(__file__), "--worker", sampler, "--model", name,
                          "--seed", str(SEED + round_), "--result", result], env=env)
    if not os.path.exists(result):              # the worker exited 1 (a Python exception): timed let it through
        raise SystemExit(f"{sampler} on {name} wrote no result (see the traceback above)")
    with open(result) as f:
        inner = json.load(f)
    inner.pop("summary", None)                  # per-quantity figures stay in the work folder (match check)
    return {"wall": wall, "cpu": cpu, **inner, "result_file": result}


def match_check(runs: list) -> None:
    """For a geo model's round: MixPlan's posterior means against each peer's (geo.compare), kept in
    the peer's run as `match`."""
    ours = next((r for r in runs if r["sampler"] == "mixplan"), None)
    if not ours:
        return
    mine = geo.mixplan_summary(ours["folder"])
    for r in runs:
        if r["sampler"] != "mixplan":
            with open(r["result_file"]) as f:
                r["match"] = geo.compare(mine, json.load(f)["summary"])


def worker(sampler: str, name: str, seed: int, result: str) -> None:
    """Inside the child process: fit with PyMC-Marketing and write the fit's own figures."""
    if name in geo.MODELS:
        geo_worker(sampler, name, seed, result)
        return
    import arviz as az
    import pandas as pd
    from pymc_marketing.mmm import MMM, GeometricAdstock, MichaelisMentenSaturation

    spec = model_spec(name)
    df = pd.read_csv(spec["data"], parse_dates=["date"])
    matched = LAMBDA_PRIOR[name][1]
    if matched:
        from pymc_extras.prior import Prior
        kind, mu, sigma = matched
        saturation = MichaelisMentenSaturation(priors={"lam": Prior(kind, mu=mu, sigma=sigma, dims="channel")})
    else:
        saturation = MichaelisMentenSaturation()
    mmm = MMM(date_column="date", channel_columns=spec["channels"], control_columns=spec["controls"],
              adstock=GeometricAdstock(l_max=8), saturation=saturation, yearly_seasonality=2)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    idata = mmm.fit(df[["date", *spec["channels"], *spec["controls"]]], df["sales"], chains=CHAINS, tune=WARMUP,
                    draws=DRAWS, target_accept=TARGET_ACCEPT, nuts_sampler=sampler, random_seed=seed, progressbar=False)
    fit_wall, fit_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    names = ["intercept", "adstock_alpha", "saturation_lam", "saturation_alpha", "gamma_control", "gamma_fourier", "y_sigma"]
    summary = az.summary(idata, var_names=[v for v in names if v in idata.posterior], kind="diagnostics")
    stats = idata.sample_stats
    leapfrogs = int(stats["n_steps"].sum()) if "n_steps" in stats else None
    with open(result, "w") as f:
        json.dump({"fit_wall": fit_wall, "fit_cpu": fit_cpu, "min_ess_bulk": float(summary["ess_bulk"].min()),
                   "max_r_hat": float(summary["r_hat"].max()), "draw_leapfrogs": leapfrogs}, f)


def geo_worker(sampler: str, name: str, seed: int, result: str) -> None:
    """The worker for a geo model: the quantities MixPlan's summary.csv names, with their summaries."""
    spec = geo.spec(name, mixplan_binary(), WORK)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    idata, mmm = geo.fit_pymc(spec, sampler, CHAINS, WARMUP, DRAWS, TARGET_ACCEPT, seed)
    fit_wall, fit_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    summary = geo.summarise(geo.pymc_quantities(idata, spec["channels"]))
    stats = idata.sample_stats
    leapfrogs = int(stats["n_steps"].sum()) if "n_steps" in stats else None
    with open(result, "w") as f:
        json.dump({"fit_wall": fit_wall, "fit_cpu": fit_cpu, "min_ess_bulk": min(q["ess_bulk"] for q in summary.values()),
                   "max_r_hat": max(q["r_hat"] for q in summary.values()), "draw_leapfrogs": leapfrogs,
                   "divergences": int(stats["diverging"].sum()), "scales": geo.check_scales(mmm, spec),
                   "summary": summary}, f)


# ---------------------------------------------------------------------------------------------
# The table


def versions() -> dict:
    from importlib.metadata import version
    out = {p: version(p) for p in ["pymc-marketing", "pymc", "numpyro", "jax", "nutpie"]}
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    out["swift"] = swift[0] if swift else "?"
    out["mixplan"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return out


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; load average {load[0]:.1f} at the end"


def table(runs: list, info: dict) -> str:
    lines = [f"Machine: {info['machine']}",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
             f"Settings: {CHAINS} chains x {WARMUP} warm-up x {DRAWS} draws, target acceptance {TARGET_ACCEPT}; "
             f"up to {info['rounds']} alternating rounds; medians over the runs shown (n per row).",
             "",
             "| model | sampler | n | wall s | CPU s | fit-call wall s | min bulk ESS | leapfrogs/draw | ESS per 1k draw gradients | ESS/s (wall) | ESS/CPU s | MixPlan ratio (wall) | MixPlan ratio (CPU) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    import statistics as st
    for model in info["models"]:
        medians = {}
        for sampler in info["samplers"]:
            mine = [r for r in runs if r["model"] == model and r["sampler"] == sampler]
            if not mine:
                continue
            m = {k: st.median(r[k] for r in mine) for k in ["wall", "cpu", "min_ess_bulk"]}
            fits = [r["fit_wall"] for r in mine if r.get("fit_wall") is not None]
            m["fit_wall"] = st.median(fits) if fits else None
            m["rate"] = st.median(r["min_ess_bulk"] / r["wall"] for r in mine)
            m["cpu_rate"] = st.median(r["min_ess_bulk"] / r["cpu"] for r in mine)
            m["n"] = len(mine)
            frogs = [r["min_ess_bulk"] / r["draw_leapfrogs"] * 1000 for r in mine if r.get("draw_leapfrogs")]
            m["ess_per_k"] = st.median(frogs) if frogs else None
            per_draw = [r["draw_leapfrogs"] / (CHAINS * DRAWS) for r in mine if r.get("draw_leapfrogs")]
            m["per_draw"] = st.median(per_draw) if per_draw else None
            medians[sampler] = m
        ours = medians.get("mixplan")
        for sampler, m in medians.items():
            mine_ = sampler == "mixplan" or not ours
            ratio = "—" if mine_ else f"{ours['rate'] / m['rate']:.1f}x"
            cpu_ratio = "—" if mine_ else f"{ours['cpu_rate'] / m['cpu_rate']:.1f}x"
            fit = "—" if m["fit_wall"] is None else f"{m['fit_wall']:.1f}"
            per_draw = "—" if m["per_draw"] is None else f"{m['per_draw']:.0f}"
            per_k = "—" if m["ess_per_k"] is None else f"{m['ess_per_k']:.2f}"
            lines.append(f"| {model} | {sampler} | {m['n']} | {m['wall']:.1f} | {m['cpu']:.1f} | {fit} | {m['min_ess_bulk']:.0f} | {per_draw} | {per_k} | "
                         f"{m['rate']:.1f} | {m['cpu_rate']:.1f} | {ratio} | {cpu_ratio} |")
    checked = [r for r in runs if "divergences" in r]
    if checked:
        lines += ["", "Per run (round, sampler): divergent transitions, largest R-hat; for a peer, its posterior means against "
                  "MixPlan's over the same quantities (|Δmean| in the peer's sd, and in Monte Carlo standard errors)."]
    for r in checked:
        line = f"- {r['model']} round {r['round']}, {r['sampler']}: {r['divergences']} divergent, max R-hat {r['max_r_hat']:.3f}"
        if "match" in r:
            m = r["match"]
            line += (f"; {m['compared']} quantities compared: worst |Δmean| {m['worst_delta_mean_over_sd']['value']:.3f} sd "
                     f"({m['worst_delta_mean_over_sd']['name']}), worst {m['worst_delta_mean_over_mcse']['value']:.1f} MC s.e. "
                     f"({m['worst_delta_mean_over_mcse']['name']}), {m['over_3_mcse']} beyond 3 s.e.; "
                     f"worst sd ratio {1 + m['worst_sd_ratio_minus_1']['value']:.3f} ({m['worst_sd_ratio_minus_1']['name']})")
            if m["only_mixplan"] or m["only_peer"]:
                line += f"; unmatched: MixPlan {m['only_mixplan']}, peer {m['only_peer']}"
        if "scales" in r:
            line += f"; scales differ from MixPlan's by at most {r['scales']['worst_relative_scale_difference']:.1e} (relative)"
        lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--models", default="weekly-2ch,sim-10ch")
    parser.add_argument("--samplers", default="mixplan,numpyro,nutpie")
    parser.add_argument("--worker")
    parser.add_argument("--model")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--result")
    parser.add_argument("--tabulate", help="build the table from run lines (JSON, one per line) printed by earlier runs")
    args = parser.parse_args()
    ensure_venv()
    if args.worker:
        worker(args.worker, args.model, args.seed, args.result)
        return
    models, samplers = args.models.split(","), args.samplers.split(",")
    runs = []
    if args.tabulate:
        with open(args.tabulate) as f:
            runs = [r for r in (json.loads(line) for line in f if line.startswith("{")) if "failed" not in r]
        models = [m for m in models if any(r["model"] == m for r in runs)]
        rounds = max(r["round"] for r in runs) + 1
        for model in geo.MODELS:                # lines from separate invocations: compare each round again
            for round_ in range(rounds):
                match_check([r for r in runs if r["model"] == model and r["round"] == round_])
    else:
        specs = {m: model_spec(m) for m in models}
        rounds = args.rounds
        for round_ in range(args.rounds):
            for model in models:
                done = []
                for sampler in samplers:
                    try:
                        r = run_mixplan(model, specs[model], round_) if sampler == "mixplan" else run_peer(sampler, model, round_)
                    except SystemExit as failure:       # a peer that cannot fit this model: said, and the rest still run
                        print(json.dumps({"model": model, "sampler": sampler, "round": round_, "failed": str(failure)[-2000:]}), flush=True)
                        continue
                    r.update(model=model, sampler=sampler, round=round_)
                    done.append(r)
                    if model not in geo.MODELS:
                        print(json.dumps(r), flush=True)
                if model in geo.MODELS:                 # printed once the means are compared
                    match_check(done)
                    for r in done:
                        print(json.dumps(r), flush=True)
                runs += done
    info = {"machine": machine(), "versions": versions(), "rounds": rounds, "models": models, "samplers": samplers}
    # results.json holds one set per invocation's models; a run of other models keeps the earlier sets.
    path = os.path.join(HERE, "results.json")
    sets = []
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        sets = old.get("sets") or [{"info": old["info"], "runs": old["runs"]}]
    sets = [s_ for s_ in sets if not set(s_["info"]["models"]) & set(models)] + [{"info": info, "runs": runs}]
    text = "\n".join(table(s_["runs"], s_["info"]) for s_ in sets)
    print(text)
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(text)
    with open(path, "w") as f:
        json.dump({"sets": sets}, f, indent=1)


if __name__ == "__main__":
    main()
