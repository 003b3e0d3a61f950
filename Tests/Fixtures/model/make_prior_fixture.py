"""Reference log densities for MixPlan's priors, from SciPy.

Run once (python3 make_prior_fixture.py) to regenerate prior_logpdf.json; the Swift tests
read the JSON and never need Python.
"""
import json
import numpy as np
from scipy import stats

cases = [
    ("Normal", {"mu": 0.5, "sigma": 2.0}, stats.norm(0.5, 2.0), [-3.0, 0.0, 0.5, 4.2]),
    ("HalfNormal", {"sigma": 2.0}, stats.halfnorm(scale=2.0), [0.01, 0.7, 3.5]),
    ("HalfCauchy", {"beta": 2.5}, stats.halfcauchy(scale=2.5), [0.01, 1.0, 12.0]),
    ("Beta", {"alpha": 1.0, "beta": 3.0}, stats.beta(1.0, 3.0), [0.05, 0.3, 0.9]),
    ("Beta", {"alpha": 2.5, "beta": 0.7}, stats.beta(2.5, 0.7), [0.05, 0.5, 0.97]),
    ("Gamma", {"alpha": 3.0, "beta": 1.0}, stats.gamma(3.0, scale=1.0), [0.2, 2.0, 9.0]),
    ("Gamma", {"alpha": 4.0, "beta": 2.0}, stats.gamma(4.0, scale=0.5), [0.2, 2.0, 5.0]),
    ("LogNormal", {"mu": 0.3, "sigma": 0.8}, stats.lognorm(0.8, scale=np.exp(0.3)), [0.1, 1.0, 6.0]),
    ("Laplace", {"mu": 0.0, "b": 1.0}, stats.laplace(0.0, 1.0), [-2.0, 0.3, 1.7]),
    ("Uniform", {"lower": -1.0, "upper": 3.0}, stats.uniform(-1.0, 4.0), [-0.5, 0.0, 2.9]),
    ("TruncatedNormal", {"mu": 1.0, "sigma": 2.0, "lower": 0.0, "upper": 5.0},
     stats.truncnorm((0.0 - 1.0) / 2.0, (5.0 - 1.0) / 2.0, loc=1.0, scale=2.0), [0.1, 1.0, 4.5]),
    ("Exponential", {"lam": 1.5}, stats.expon(scale=1 / 1.5), [0.05, 1.0, 4.0]),
    ("InverseGamma", {"alpha": 3.0, "beta": 2.0}, stats.invgamma(3.0, scale=2.0), [0.2, 1.0, 5.0]),
]

out = []
for family, params, dist, xs in cases:
    out.append({
        "family": family,
        "parameters": params,
        "x": xs,
        "logpdf": [float(dist.logpdf(x)) for x in xs],
    })

with open("prior_logpdf.json", "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
