"""Adapter: runs the kernel engineer's bench/kernel/bench_kernel.py (latentmotion kernel vs Debian's ipykernel,
start -> first result and trivial-cell round trip) and writes its figures as report rows (bench/README.md).

Usage: /usr/bin/python3 bench/report/stage_kernel.py [--quick] --out FILE.json
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch"))
import benchcommon as bc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    starts, trips = (1, 5) if a.quick else (3, 30)
    cmd = ["/usr/bin/python3", "bench/kernel/bench_kernel.py", "--starts", str(starts), "--trips", str(trips)]
    with tempfile.TemporaryDirectory() as d:
        js = os.path.join(d, "k.json")
        p = subprocess.run(cmd + ["--json", js], capture_output=True, text=True)
        print(p.stdout[-2000:], p.stderr[-2000:])
        if p.returncode != 0 or not os.path.exists(js):
            last = ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1][:200]
            raise SystemExit(f"bench/kernel/bench_kernel.py failed: {last}")
        rep = json.load(open(js))
    by = {r["kernel"]: r for r in rep["results"]}
    rows = []
    line = " ".join(cmd)
    for key, stage, unit, get in [
        ("kernel/start", "kernel start → first result (1 + 1)", "s", lambda r: r["start_to_first_result_s"]["median"]),
        ("kernel/roundtrip", "trivial cell round trip (median)", "ms", lambda r: r["round_trip_ms"]["median"]),
    ]:
        for impl, kernel, note in (("java", "latentmotion", "latentmotion kernel (JShell)"),
                                   ("pytorch", "python3", "Debian ipykernel (Python reference, not torch)")):
            if kernel in by:
                rows.append(bc.row(key, stage, get(by[kernel]), unit, False, command=line, note=note, impl=impl))
            else:
                rows.append(bc.not_measured(key, stage, unit, f"kernel '{kernel}' not measured", line, impl=impl))
    bc.write(a.out, {"impl": "mixed", "info": {"kernel bench": f"{starts} starts, {trips} round trips"}, "rows": rows})


if __name__ == "__main__":
    main()
