"""The PyTorch side of the time-to-motion stage (bench/java/org/latentmotion/bench/TimeToMotion.java, which starts it):
trains the idiomatic StyleVideoGAN (stylevideogan_idiomatic.py, float32) on the clips the Java side wrote, with the
recipe of the Java config it wrote (laptop()), and every --every steps saves the model in the Java layout and waits
for the Java side's verdict, so judging is the same code for both sides and is not timed.

Protocol: prints "checkpoint STEPS SECONDS PATH" (SECONDS: training wall time so far, saving excluded) and reads one line
from stdin: "stop" (the bar is met) or "continue". Anything else it prints is a log line.

A training step is what Java's Trainer runs: criticSteps critic steps, each on the next real batch of an epoch's
shuffled order of every 25-frame window (stride 1, within a clip; the last partial batch dropped), then a generator
step. Before the first step, as the Trainer's prepare: the motion space from at most 2048 evenly spaced frames and the
change whitening from at most 256 evenly spaced windows (timed: Java's fit() includes them too).

Usage: /usr/bin/python3 bench/torch/time_to_motion.py --data DIR --every K --max-steps N --seed S --threads T
       --checkpoint FILE.npz      (DIR: clip*.npy [frames, L, D] float32 and config.properties)
"""
import argparse
import glob
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stylevideogan_idiomatic as idm  # noqa: E402


class Windows:
    """Every `length`-frame window of the clips (stride 1, never across a cut), gathered into batches [B, t, L, D]."""

    def __init__(self, clips, length):
        self.clips, self.length = clips, length
        self.index = [(c, s) for c, clip in enumerate(clips) for s in range(clip.shape[0] - length + 1)]

    def __len__(self):
        return len(self.index)

    def batch(self, picks):
        return torch.stack([self.clips[c][s:s + self.length] for c, s in (self.index[k] for k in picks)])


def evenly_spaced(n, most):
    count = min(n, most)
    return [k * n // count for k in range(count)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--every", type=int, required=True)
    ap.add_argument("--max-steps", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--checkpoint", required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.data, "config.properties"), encoding="utf-8") as f:
        properties = f.read()
    c = idm.Config.from_java_properties(properties)
    clips = [torch.from_numpy(np.load(p)) for p in sorted(glob.glob(os.path.join(a.data, "clip*.npy")))]
    windows = Windows(clips, c.window_length)
    print(f"{len(clips)} clips, {sum(x.shape[0] for x in clips)} frames, {len(windows)} windows; {c}", flush=True)

    torch.manual_seed(a.seed)
    tr = idm.Training(idm.StyleVideoGAN(c), a.seed)
    order_rng = torch.Generator().manual_seed(a.seed)
    per_epoch = max(1, len(windows) // c.batch)
    order, position = None, per_epoch  # a new epoch's order at the first batch

    def next_batch():
        nonlocal order, position
        if position == per_epoch:
            order, position = torch.randperm(len(windows), generator=order_rng).tolist(), 0
        picks = order[position * c.batch:(position + 1) * c.batch]
        position += 1
        return windows.batch(picks)

    seconds, t0 = 0.0, time.perf_counter()
    starts = np.cumsum([0] + [x.shape[0] for x in clips])  # frame k of all clips is frame k - starts[c] of clip c
    picks = [(int(np.searchsorted(starts, k, side="right")) - 1, k) for k in evenly_spaced(int(starts[-1]), 2048)]
    tr.model.fit_normalization(torch.stack([clips[c][k - starts[c]] for c, k in picks]))
    tr.model.fit_change_whitening(windows.batch(evenly_spaced(len(windows), 256)))
    for step in range(1, a.max_steps + 1):
        for _ in range(c.critic_steps):
            tr.critic_step(next_batch())
        tr.generator_step()
        if step % a.every == 0:
            seconds += time.perf_counter() - t0
            arrays = idm.java_checkpoint(tr, properties, f"time_to_motion.py: {a.data}, seed {a.seed}")
            tmp = a.checkpoint + ".tmp.npz"
            np.savez(tmp, **arrays)
            os.replace(tmp, a.checkpoint)
            print(f"checkpoint {step} {seconds:.3f} {a.checkpoint}", flush=True)
            if sys.stdin.readline().strip() != "continue":
                break
            t0 = time.perf_counter()
    print(f"done after {tr.generator_steps} generator steps, {seconds:.1f} s of training", flush=True)


if __name__ == "__main__":
    main()
