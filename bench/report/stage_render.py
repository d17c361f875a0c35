"""Adapter: runs the render engineer's bench/render/run.sh (ORT Java vs torch eager on the exported StyleGAN2 test
graph at batch 1/8/32, encode frames/s per format, peak live heap and resident memory over 300-6000-frame render + encode) and turns
the markdown tables it prints into report rows (bench/README.md).

Usage: /usr/bin/python3 bench/report/stage_render.py [--quick] --threads N --out FILE.json
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch"))
import benchcommon as bc  # noqa: E402


def table_rows(text, header_start):
    """The data rows (lists of cells) of the markdown table whose header line starts with header_start."""
    lines = text.splitlines()
    for k, line in enumerate(lines):
        if line.startswith(header_start):
            out = []
            for row in lines[k + 2:]:
                if not row.strip():
                    break  # a table ends at a blank line
                if row.startswith("|"):  # other lines (a log message) may interleave with the rows
                    out.append([c.strip() for c in row.strip().strip("|").split("|")])
            return out
    return []


def num(s):
    m = re.search(r"-?\d+(\.\d+)?", s)
    return float(m.group(0)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    cmd = ["sh", "bench/render/run.sh", str(a.threads), "1" if a.quick else "3"]
    # its own build folder: run.sh compiles without -Pbench, which must not touch the bench build's classes
    env = dict(os.environ, LM_BUILD=os.environ.get("LM_BENCH_BUILD", "target-bench") + "-render")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    print(p.stdout[-4000:], p.stderr[-1500:])
    if p.returncode != 0:
        last = ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1][:200]
        raise SystemExit(f"bench/render/run.sh failed: {last}")
    line = " ".join(cmd)
    rows = []
    for cells in table_rows(p.stdout, "| batch | ORT Java"):
        b = int(num(cells[0]))
        stage = f"StyleGAN2 export (64², L = 10) render, batch {b}"
        rows.append(bc.row(f"render/stylegan2/b{b}", stage, num(cells[1]), "frames/s", True, command=line,
                           note="ONNX Runtime Java", impl="java"))
        rows.append(bc.row(f"render/stylegan2/b{b}", stage, num(cells[2]), "frames/s", True, command=line,
                           note="torch eager, same graph and weights", impl="pytorch"))
    for cells in table_rows(p.stdout, "| format | frame"):
        stage = f"video encode {cells[0]} {cells[1]}"
        rows.append(bc.row(f"encode/{cells[0]}/{cells[1]}", stage, num(cells[2]), "frames/s", True, command=line,
                           note=f"{num(cells[3]):.0f} KB per second of video", impl="java"))
    for cells in table_rows(p.stdout, "| frames | peak live heap"):
        n = int(num(cells[0]))
        rows.append(bc.row(f"memory/heap/{n}", f"peak live heap, render + encode {n} frames", num(cells[1]), "MB", False,
                           command=line, note=f"heap in use after a GC, largest during the render ({int(num(cells[4]))}"
                           f" GCs, 128 MB heap); includes the encoded video, {num(cells[5]):.0f} KB", impl="java"))
        rows.append(bc.row(f"memory/rss/{n}", f"peak resident memory above baseline (heap + native), render + encode {n}"
                           f" frames", num(cells[2]), "MB", False, command=line,
                           note=f"VmHWM above VmRSS before the render ({num(cells[3]):.0f} MB, with the trajectory);"
                           " own JVM per length, heap pre-touched", impl="java"))
    if not rows:
        raise SystemExit("bench/render/run.sh printed none of the expected tables")
    bc.write(a.out, {"impl": "mixed", "info": {"render bench": line}, "rows": rows})


if __name__ == "__main__":
    main()
