"""Reference means and quantiles of MixPlan's prior families, from SciPy, for PriorSummary.

Run once (python3 make_prior_quantiles.py) to regenerate prior_quantiles.json; the Swift tests
read the JSON and never need Python. The cases include the default priors of DESIGN.md §2 and
skewed shapes where the incomplete beta/gamma functions are hardest (small shapes, far tails).
"""
import json
import numpy as np
from scipy import stats

cases = [
    ("Normal", {"mu": 0.5, "sigma": 2.0}, stats.norm(0.5, 2.0)),
    ("HalfNormal", {"sigma": 2.0}, stats.halfnorm(scale=2.0)),
    ("HalfNormal", {"sigma": 1.5}, stats.halfnorm(scale=1.5)),
    ("HalfCauchy", {"beta": 2.5}, stats.halfcauchy(scale=2.5)),
    ("Beta", {"alpha": 1.0, "beta": 3.0}, stats.beta(1.0, 3.0)),
    ("Beta", {"alpha": 2.5, "beta": 0.7}, stats.beta(2.5, 0.7)),
    ("Beta", {"alpha": 40.0, "beta": 12.0}, stats.beta(40.0, 12.0)),
    ("Beta", {"alpha": 0.3, "beta": 0.4}, stats.beta(0.3, 0.4)),
    ("Gamma", {"alpha": 3.0, "beta": 1.0}, stats.gamma(3.0, scale=1.0)),
    ("Gamma", {"alpha": 4.0, "beta": 4.0}, stats.gamma(4.0, scale=0.25)),
    ("Gamma", {"alpha": 0.64, "beta": 0.32}, stats.gamma(0.64, scale=1 / 0.32)),
    ("Gamma", {"alpha": 250.0, "beta": 100.0}, stats.gamma(250.0, scale=0.01)),
    ("LogNormal", {"mu": 0.3, "sigma": 0.8}, stats.lognorm(0.8, scale=np.exp(0.3))),
    ("Laplace", {"mu": 0.0, "b": 1.0}, stats.laplace(0.0, 1.0)),
    ("Uniform", {"lower": -1.0, "upper": 3.0}, stats.uniform(-1.0, 4.0)),
    ("TruncatedNormal", {"mu": 1.0, "sigma": 2.0, "lower": 0.0, "upper": 5.0},
     stats.truncnorm((0.0 - 1.0) / 2.0, (5.0 - 1.0) / 2.0, loc=1.0, scale=2.0)),
    ("TruncatedNormal", {"mu": 0.5, "sigma": 1.0, "lower": 0.0},
     stats.truncnorm((0.0 - 0.5) / 1.0, np.inf, loc=0.5, scale=1.0)),
    ("Exponential", {"lam": 1.5}, stats.expon(scale=1 / 1.5)),
    ("InverseGamma", {"alpha": 3.0, "beta": 2.0}, stats.invgamma(3.0, scale=2.0)),
]

probabilities = [0.001, 0.03, 0.25, 0.5, 0.75, 0.97, 0.999]
out = []
for family, params, dist in cases:
    out.append({
        "family": family,
        "parameters": params,
        "mean": float(dist.mean()) if np.isfinite(dist.mean()) else None,
        "p": probabilities,
        "quantile": [float(dist.ppf(p)) for p in probabilities],
    })

with open("prior_quantiles.json", "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
