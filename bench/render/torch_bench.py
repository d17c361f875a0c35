#!/usr/bin/python3
"""Torch eager timing of the SAME StyleGAN2 graph and weights as the exported test network.

Rebuilds the network with datasets/models/stylegan2/stylegan2_onnx.py (same seed, so the same
weights), checks it reproduces the committed reference output, then times batches.
Prints one JSON line: {"threads": T, "check_max_diff": d, "fps": {"1": x, "8": y, "32": z}}.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "datasets", "models", "stylegan2"))
import stylegan2_onnx as sg  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batches", default="1,8,32")
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    net, _ = sg.random_network(sg.TEST_SIZE, sg.TEST_CHANNELS, sg.TEST_SEED)  # (synthesis, mapping): W+ in, images out
    net.eval()
    d = os.path.join(ROOT, "datasets", "models", "stylegan2")
    w = torch.from_numpy(np.load(os.path.join(d, "reference_w.npy")))
    ref = np.load(os.path.join(d, "reference_image.npy"))
    diff = float(np.abs(net(w).numpy() - ref).max())
    fps = {}
    g = torch.Generator().manual_seed(0)
    for b in [int(x) for x in a.batches.split(",")]:
        x = torch.randn(b, net.n_latent, 512, generator=g)
        net(x)  # warm up
        n, t0 = 0, time.perf_counter()
        while True:
            net(x)
            n += b
            el = time.perf_counter() - t0
            if el >= a.seconds and n >= 2 * b:
                break
        fps[str(b)] = n / el
    print(json.dumps({"threads": a.threads, "check_max_diff": diff, "fps": fps}))


if __name__ == "__main__":
    main()
