"""Per-op cost in torch, the same work as OpOverheadBench.java: a [128, 32] add, and one GRU cell step
(batch 128, hidden 32, fused gates as in stylevideogan.py) forward + backward, and with double backprop.

Usage: /usr/bin/python3 bench/torch/bench_ops.py --threads N [--quick] --out FILE.json
"""
import argparse

import torch

import benchcommon as bc

B, H = 128, 32


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    bc.setup_threads(a.threads)
    torch.manual_seed(3)
    x0, y0 = torch.randn(B, H), torch.randn(B, H)
    bound = 1 / H ** 0.5
    wx = (torch.rand(H, 3 * H) * 2 - 1).mul_(bound).requires_grad_()
    wh = (torch.rand(H, 3 * H) * 2 - 1).mul_(bound).requires_grad_()
    bx = (torch.rand(3 * H) * 2 - 1).mul_(bound).requires_grad_()
    bh = (torch.rand(3 * H) * 2 - 1).mul_(bound).requires_grad_()
    params = [wx, wh, bx, bh]
    x, h = torch.randn(B, H), torch.randn(B, H)

    def cell(xx, hh):
        gx = xx @ wx + bx
        gh = hh @ wh + bh
        rz = torch.sigmoid(gx[:, :2 * H] + gh[:, :2 * H])
        r, z = rz[:, :H], rz[:, H:]
        n = torch.tanh(gx[:, 2 * H:] + r * gh[:, 2 * H:])
        return n + z * (hh - n)

    def add():
        return x0 + y0

    def add_(): return x0.add_(y0)

    def grad():
        out = cell(x, h)
        return torch.autograd.grad((out * out).sum(), params)

    def double_grad():
        xi = x.clone().requires_grad_()
        out = cell(xi, h)
        (dx,) = torch.autograd.grad((out * out).sum(), [xi], create_graph=True)
        return torch.autograd.grad((dx * dx).sum(), params)

    rows = []
    for key, stage, fn, reps in [
        ("op/add-allocating", "one small op: add [128, 32] into a new array", add, 2000),
        ("op/add-inplace", "one small op: add [128, 32] in place", add_, 2000),
        ("op/gru-step-grad", "GRU cell step (B 128, H 32) forward + backward", grad, 200),
        ("op/gru-step-double-grad", "GRU cell step with double backprop (gradient-penalty style)", double_grad, 100),
    ]:
        if a.quick:
            reps //= 4

        def batch():
            for _ in range(reps):
                fn()

        samples = [s / reps * 1e6 for s in bc.time_it(batch, 2, 3 if a.quick else 7)]
        mean, err = bc.summary(samples)
        rows.append(bc.row(key, stage, mean, "µs", False, samples, bc.command_line(), "", err))
        print(f"{stage}: {mean:.1f} µs")
    bc.write(a.out, {"impl": "pytorch", "info": bc.info(a.threads), "rows": rows})


if __name__ == "__main__":
    main()
