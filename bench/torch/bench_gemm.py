"""torch.mm GFLOP/s at the GEMM shapes the Java side measures (GemmBench), float32, same thread count.

Usage: /usr/bin/python3 bench/torch/bench_gemm.py --threads N [--quick] --out FILE.json
"""
import argparse

import torch

import benchcommon as bc

SHAPES = ["3200x9216x512", "128x9216x512", "3200x512x512"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    bc.setup_threads(a.threads)
    torch.manual_seed(1)
    rows = []
    for shape in SHAPES:
        m, k, n = (int(x) for x in shape.split("x"))
        x = torch.randn(m, k)
        y = torch.randn(k, n)
        z = torch.empty(m, n)
        flops = 2.0 * m * k * n
        # ~1 s (quick) / ~2 s per measured sample, as the JMH side does
        one = bc.time_it(lambda: torch.mm(x, y, out=z), 1, 1)[0]
        reps = max(1, int((0.3 if a.quick else 1.0) / max(one, 1e-4)))

        def batch():
            for _ in range(reps):
                torch.mm(x, y, out=z)

        samples = [flops * reps / s / 1e9 for s in bc.time_it(batch, 1 if a.quick else 3, 2 if a.quick else 5)]
        mean, err = bc.summary(samples)
        rows.append(bc.row("gemm/" + shape, f"GEMM {m}×{k}·{k}×{n} (float32)", mean, "GFLOP/s", True, samples,
                           bc.command_line(), "torch.mm", err))
        print(f"GEMM {shape}: {mean:.1f} GFLOP/s")
    bc.write(a.out, {"impl": "pytorch", "mode": "--quick" if a.quick else "full", "info": bc.info(a.threads),
                     "rows": rows})


if __name__ == "__main__":
    main()
