"""End-to-end quickstart: wall time of executing the quickstart notebook headless with the project's Java kernel
(kernel start, every cell, shutdown), as a user's first run does. Java only: there is no PyTorch equivalent.

Usage: /usr/bin/python3 bench/report/quickstart.py [--quick] --out FILE.json
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch"))
import benchcommon as bc  # noqa: E402

KEY, STAGE = "quickstart", "end-to-end quickstart notebook (headless, kernel start + all cells)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    cmd_line = "bench/run --only quickstart"
    nbs = sorted(glob.glob("notebooks/*quickstart*.ipynb")) or sorted(glob.glob("notebooks/01-*.ipynb"))
    specs = subprocess.run(["/usr/bin/jupyter", "kernelspec", "list", "--json"], capture_output=True, text=True)
    kernels = json.loads(specs.stdout).get("kernelspecs", {}) if specs.returncode == 0 else {}
    rows = []
    if not nbs:
        rows.append(bc.not_measured(KEY, STAGE, "s", "no notebooks/*quickstart*.ipynb in the tree", cmd_line,
                                    impl="java"))
    elif "latentmotion" not in kernels:
        rows.append(bc.not_measured(KEY, STAGE, "s", "kernelspec 'latentmotion' is not installed (run kernels-setup)",
                                    cmd_line, impl="java"))
    else:
        nb = nbs[0]
        samples = []
        env = dict(os.environ)
        if a.quick:
            env["CI"] = "true"  # notebooks scale their work down under CI
        for _ in range(1):  # the full notebook trains for ~10 minutes: one sample is the budget
            with tempfile.TemporaryDirectory() as d:
                t0 = time.perf_counter()
                p = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                                    "--ExecutePreprocessor.timeout=1800", "--output-dir", d, nb],
                                   capture_output=True, text=True, env=env)
                dt = time.perf_counter() - t0
            if p.returncode != 0:
                last = (p.stderr.strip().splitlines() or ["?"])[-1][:200]
                rows.append(bc.not_measured(KEY, STAGE, "s", f"{nb} failed: {last}", cmd_line, impl="java"))
                break
            samples.append(dt)
        else:
            mean, err = bc.summary(samples)
            rows.append(bc.row(KEY, STAGE, mean, "s", False, samples, cmd_line,
                               os.path.basename(nb) + (" with CI=true (scaled down)" if a.quick else ""), err,
                               impl="java"))
    bc.write(a.out, {"impl": "java", "info": {"notebook": nbs[0] if nbs else None}, "rows": rows})


if __name__ == "__main__":
    main()
