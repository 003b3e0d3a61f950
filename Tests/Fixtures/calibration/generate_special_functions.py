"""Reference values for MixPlan's special functions and constrained-prior solver, from SciPy.

Run once (python3 generate_special_functions.py) to regenerate special_functions.json; the Swift
tests (Tests/MixModelTests/ConstrainedPriorTests.swift) compare against it.

- gamma_p: scipy.special.gammainc(a, x), the regularized lower incomplete gamma P(a, x)
- beta_i: scipy.special.betainc(a, b, x), the regularized incomplete beta I_x(a, b)
- normal_quantile: scipy.stats.norm.ppf(p)
- central_priors: for an interval and a mass, the family's parameters whose equal-tailed central
  interval of that mass is the interval, solved here with SciPy's own quantile functions
  (brentq on the shape), independently of the Swift solver.
"""
import json
import numpy as np
from scipy import special, stats, optimize

gamma_cases = []
for a in [0.01, 0.1, 0.5, 1.0, 2.5, 10.0, 73.3, 1000.0, 1.0e5]:
    for rel in [1e-3, 0.1, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0]:
        x = a * rel
        gamma_cases.append({"a": a, "x": x, "p": float(special.gammainc(a, x)), "q": float(special.gammaincc(a, x))})
for a, x in [(3.0, 1e-8), (0.2, 40.0), (50.0, 120.0), (4.0, 0.5)]:
    gamma_cases.append({"a": a, "x": x, "p": float(special.gammainc(a, x)), "q": float(special.gammaincc(a, x))})

beta_cases = []
for a, b in [(0.05, 0.05), (0.5, 0.5), (1.0, 3.0), (2.0, 5.0), (30.0, 7.0), (0.3, 12.0), (400.0, 600.0), (2.0e4, 3.0e4)]:
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    xs = sorted(set(float(min(max(v, 1e-6), 1 - 1e-6)) for v in [1e-4, 0.01, 0.2, 0.5, 0.8, 0.99, mean - 2 * sd, mean, mean + 2 * sd]))
    for x in xs:
        beta_cases.append({"a": a, "b": b, "x": x, "i": float(special.betainc(a, b, x))})

normal_cases = [{"p": p, "z": float(stats.norm.ppf(p))} for p in [1e-10, 0.001, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999]]


def central_gamma(lo, hi, mass):
    p1, p2 = (1 - mass) / 2, (1 + mass) / 2
    f = lambda la: stats.gamma.ppf(p2, np.exp(la)) / stats.gamma.ppf(p1, np.exp(la)) - hi / lo
    la = optimize.brentq(f, np.log(0.05), np.log(1e7), xtol=1e-14, rtol=1e-14)
    a = np.exp(la)
    return {"alpha": float(a), "beta": float(stats.gamma.ppf(p1, a) / lo)}


def central_beta(lo, hi, mass):
    p1, p2 = (1 - mass) / 2, (1 + mass) / 2

    def beta_for(a):
        return np.exp(optimize.brentq(lambda lb: stats.beta.cdf(lo, a, np.exp(lb)) - p1, np.log(1e-4), np.log(1e9), xtol=1e-14, rtol=1e-14))

    g = lambda la: stats.beta.cdf(hi, np.exp(la), beta_for(np.exp(la))) - p2
    la = optimize.brentq(g, np.log(0.01), np.log(1e6), xtol=1e-13, rtol=1e-13)
    return {"alpha": float(np.exp(la)), "beta": float(beta_for(np.exp(la)))}


def central_lognormal(lo, hi, mass):
    z = stats.norm.ppf((1 + mass) / 2)
    return {"mu": float((np.log(lo) + np.log(hi)) / 2), "sigma": float((np.log(hi) - np.log(lo)) / (2 * z))}


priors = []
for lo, hi, mass in [(0.5, 3.0, 0.95), (1.2, 1.5, 0.95), (0.01, 20.0, 0.9), (2.0, 4.0, 0.5)]:
    priors.append({"family": "Gamma", "lower": lo, "upper": hi, "mass": mass, "parameters": central_gamma(lo, hi, mass)})
    priors.append({"family": "LogNormal", "lower": lo, "upper": hi, "mass": mass, "parameters": central_lognormal(lo, hi, mass)})
for lo, hi, mass in [(0.1, 0.6, 0.95), (0.02, 0.2, 0.95), (0.7, 0.75, 0.9), (0.3, 0.97, 0.8)]:
    priors.append({"family": "Beta", "lower": lo, "upper": hi, "mass": mass, "parameters": central_beta(lo, hi, mass)})

out = {"gamma_p": gamma_cases, "beta_i": beta_cases, "normal_quantile": normal_cases, "central_priors": priors}
with open(__file__.replace("generate_special_functions.py", "special_functions.json"), "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(len(gamma_cases), len(beta_cases), len(normal_cases), len(priors))
