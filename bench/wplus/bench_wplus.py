#!/usr/bin/python3
"""The numpy/PyTorch side of bench/wplus/run, on the files the Java side just wrote, and the merge.

  bench_wplus.py --dir DIR --reps R --pca-reps P --threads N --java rows.json --out wplus.json
"""
import argparse, json, os, statistics, time

import numpy as np


LAST_CPU = []
LAST_WALL = []


def timed(reps, fn):
    fn()  # warm-up, like the Java side
    s = []
    LAST_CPU.clear()
    LAST_WALL.clear()
    for _ in range(reps):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        s.append(time.perf_counter() - t)
        LAST_CPU.append(time.process_time() - c)
    LAST_WALL.extend(s)
    return s


def row(key, stage, value, unit, higher, samples, note):
    note += "; median process CPU %.3g s per run (wall %.3g s)" % (statistics.median(LAST_CPU),
                                                                   statistics.median(LAST_WALL))
    return {"key": key, "stage": stage, "impl": "pytorch", "value": value, "unit": unit, "higherIsBetter": higher,
            "samples": samples, "n": len(samples), "command": "bench/wplus/run", "note": note}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--pca-reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--java", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    java = json.load(open(a.java))
    by_key = {r["key"]: r for r in java}
    f4 = os.path.join(a.dir, "wplus-f4.npy")
    f2 = os.path.join(a.dir, "wplus-f2.npy")
    mb = os.path.getsize(f4) / 1e6
    mb2 = os.path.getsize(f2) / 1e6
    rows = []
    x = np.load(f4)
    frames = x.shape[0]

    w = os.path.join(a.dir, "wplus-written-np.npy")
    s = timed(a.reps, lambda: np.save(w, x))
    rows.append(row("npy/write", by_key["npy/write"]["stage"], mb / statistics.median(s), "MB/s", True,
                    [mb / v for v in s], "numpy np.save"))
    s = timed(a.reps, lambda: np.load(f4))
    rows.append(row("npy/read", by_key["npy/read"]["stage"], mb / statistics.median(s), "MB/s", True,
                    [mb / v for v in s], "numpy np.load"))
    s = timed(a.reps, lambda: np.load(f2).astype(np.float32))
    rows.append(row("npy/read-f16", by_key["npy/read-f16"]["stage"], mb2 / statistics.median(s), "MB/s", True,
                    [mb2 / v for v in s], "numpy np.load(...).astype(float32)"))

    def windows():
        m = np.load(f4, mmap_mode="r")
        r = np.random.default_rng(1)
        for _ in range(200):
            st = int(r.integers(0, frames - 25))
            np.array(m[st:st + 25])
    wmb = 200 * 25 * 18 * 512 * 4 / 1e6
    s = timed(a.reps, windows)
    rows.append(row("npy/mmap-windows", by_key["npy/mmap-windows"]["stage"], wmb / statistics.median(s), "MB/s", True,
                    [wmb / v for v in s], "numpy np.load(mmap_mode='r') + copies of slices"))

    try:
        import torch
        torch.set_num_threads(a.threads)
        xt = torch.from_numpy(x.reshape(frames, -1).copy())
        torch.manual_seed(42)
        s = timed(a.pca_reps, lambda: torch.pca_lowrank(xt, q=32, center=True, niter=4))
        cpu, wall = list(LAST_CPU), list(LAST_WALL)
        _, sv, _ = torch.pca_lowrank(xt, q=32, center=True, niter=4)
        LAST_CPU[:], LAST_WALL[:] = cpu, wall
        kept = float((sv.double() ** 2).sum() / (frames - 1))
        java_kept = float(open(os.path.join(a.dir, "wplus-java-pca-kept.txt")).read())
        rows.append(row("pca/fit", by_key["pca/fit"]["stage"], statistics.median(s), "s", False, s,
                        "torch.pca_lowrank(q=32, niter=4); variance kept %.6g (Java/torch = %.6f)"
                        % (kept, java_kept / kept)))
    except Exception as e:  # noqa: BLE001 - recorded in the report, not hidden
        rows.append({"key": "pca/fit", "stage": by_key["pca/fit"]["stage"], "impl": "pytorch", "value": float("nan"),
                     "unit": "s", "higherIsBetter": False, "command": "bench/wplus/run",
                     "note": "not measured: %s" % e})

    doc = {"impl": "mixed", "info": {"frames": frames, "file MB": mb, "threads": a.threads,
                                     "numpy": np.__version__}, "rows": java + rows}
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=True)
    os.replace(tmp, a.out)
    import re
    def cpu(r):
        m = re.search(r"process CPU ([0-9.e+-]+) s", r.get("note", ""))
        return float(m.group(1)) if m else float("nan")
    print("%-18s %-46s %10s %12s %6s | %9s %9s" % ("key", "stage", "java", "numpy/torch", "unit", "java CPU", "np CPU s"))
    py = {r["key"]: r for r in rows}
    for r in java:
        p = py.get(r["key"], {})
        print("%-18s %-46s %10.4g %12.4g %6s | %9.3g %9.3g" % (r["key"], r["stage"][:46], r["value"],
              p.get("value", float("nan")), r["unit"], cpu(r), cpu(p) if p else float("nan")))


if __name__ == "__main__":
    main()
