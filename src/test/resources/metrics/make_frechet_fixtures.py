#!/usr/bin/python3
"""Writes the Frechet-distance test fixtures: feature sets (numpy text, 17 significant digits, so
the doubles round-trip exactly) and the distances computed independently in float64.

Two independent references per case:
  * pytorch-fid's algorithm (scipy.linalg.sqrtm of sigma1 @ sigma2, with its eps * I fallback
    when the product is singular, real part of the trace), and
  * mpmath at 50 digits: trace of the square root via the eigenvalues of the symmetric product
    S1^{1/2} S2 S1^{1/2} (exact arithmetic up to 50 digits, no float64 round-off).
The Java test checks against the mpmath value (the truth) and reports the pytorch-fid value too.

Run from the project root:  /usr/bin/python3 src/test/resources/metrics/make_frechet_fixtures.py
"""
import os

import mpmath
import numpy as np
from scipy import linalg

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "frechet")
mpmath.mp.dps = 50


def pytorch_fid(mu1, s1, mu2, s2, eps=1e-6):
    # Same steps as pytorch-fid's calculate_frechet_distance (re-stated here, not imported).
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * eps
        covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def mp_sym_sqrt(s):
    m = mpmath.matrix(s.tolist())
    e, q = mpmath.eigsy(m)
    n = s.shape[0]
    d = mpmath.matrix(n, n)
    for i in range(n):
        d[i, i] = mpmath.sqrt(max(e[i], 0))
    return q * d * q.T


def mp_frechet(a, b):
    a = mpmath.matrix(a.tolist())
    b = mpmath.matrix(b.tolist())

    def fit(x):
        n, f = x.rows, x.cols
        mu = [mpmath.fsum(x[i, j] for i in range(n)) / n for j in range(f)]
        c = mpmath.matrix(f, f)
        for j in range(f):
            for k in range(j, f):
                v = mpmath.fsum((x[i, j] - mu[j]) * (x[i, k] - mu[k]) for i in range(n)) / (n - 1)
                c[j, k] = v
                c[k, j] = v
        return mu, c

    mu1, s1 = fit(a)
    mu2, s2 = fit(b)
    f = len(mu1)
    e1, q1 = mpmath.eigsy(s1)
    d = mpmath.matrix(f, f)
    for i in range(f):
        d[i, i] = mpmath.sqrt(max(e1[i], 0))
    r = q1 * d * q1.T
    m = r * s2 * r
    m = (m + m.T) / 2
    em, _ = mpmath.eigsy(m)
    trsqrt = mpmath.fsum(mpmath.sqrt(max(v, 0)) for v in em)
    diff = mpmath.fsum((mu1[j] - mu2[j]) ** 2 for j in range(f))
    tr1 = mpmath.fsum(s1[j, j] for j in range(f))
    tr2 = mpmath.fsum(s2[j, j] for j in range(f))
    return float(diff + tr1 + tr2 - 2 * trsqrt)


def case(name, a, b, note):
    np.savetxt(os.path.join(OUT, name + "_a.txt"), a, fmt="%.17g")
    np.savetxt(os.path.join(OUT, name + "_b.txt"), b, fmt="%.17g")
    mu1, s1 = a.mean(0), np.cov(a, rowvar=False)
    mu2, s2 = b.mean(0), np.cov(b, rowvar=False)
    ref = pytorch_fid(mu1, s1, mu2, s2)
    truth = mp_frechet(a, b)
    print(f"{name:24s} N={a.shape[0]:4d} M={b.shape[0]:4d} F={a.shape[1]:3d}  mpmath={truth:.12g}  "
          f"pytorch-fid={ref:.12g}  rel.diff={abs(ref - truth) / max(abs(truth), 1e-300):.2e}")
    return {"name": name, "note": note, "rows_a": a.shape[0], "rows_b": b.shape[0], "features": a.shape[1],
            "mpmath50": truth, "pytorch_fid": ref}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20260611)
    cases = []
    # 1. Full rank, different means and correlated covariances.
    f = 12
    la = rng.normal(size=(f, f))
    lb = rng.normal(size=(f, f)) * 0.7
    a = rng.normal(size=(400, f)) @ la + 0.5
    b = rng.normal(size=(300, f)) @ lb - 0.25
    cases.append(case("full_rank", a, b, "N > F, both covariances full rank"))
    # 2. Both singular: fewer samples than features (the usual small-N FID situation).
    f = 40
    a = rng.normal(size=(25, f)) * 2.0 + 1.0
    b = rng.normal(size=(30, f)) @ rng.normal(size=(f, f)) * 0.3
    cases.append(case("both_singular", a, b, "N < F for both sets: rank-deficient covariances"))
    # 3. One singular (features living on a 5-dimensional subspace), one full rank.
    f = 16
    basis = rng.normal(size=(5, f))
    a = rng.normal(size=(200, 5)) @ basis
    b = rng.normal(size=(200, f))
    cases.append(case("one_singular", a, b, "set A spans a 5-dimensional subspace of 16"))
    # 4. Same subspace, different spreads: singular and sharing the null space.
    a = rng.normal(size=(150, 5)) @ basis
    b = (rng.normal(size=(180, 5)) * 1.5) @ basis + 0.1
    cases.append(case("shared_null_space", a, b, "both sets on one 5-dimensional subspace of 16"))
    # 5. Identical sets: distance 0.
    a = rng.normal(size=(100, 8)) @ rng.normal(size=(8, 8))
    cases.append(case("identical", a, a.copy(), "same features twice: distance 0"))
    # 6. Large offset, tiny spread: the mean term dominates (cancellation check).
    a = rng.normal(size=(120, 10)) * 1e-3 + 100.0
    b = rng.normal(size=(120, 10)) * 1e-3 + 100.0 + 1e-2
    cases.append(case("tiny_spread", a, b, "spread 1e-3 around 100: cancellation in the covariance"))
    with open(os.path.join(OUT, "expected.tsv"), "w") as fh:
        fh.write("name\tmpmath50\tpytorch_fid\n")
        for c in cases:
            fh.write(f"{c['name']}\t{c['mpmath50']!r}\t{c['pytorch_fid']!r}\n")


if __name__ == "__main__":
    main()
