"""Resident memory of a StyleVideoGAN training run in PyTorch, in a process of its own: the PyTorch side of
TrainingMemory.java (bench/report/stage_train_memory.py starts both).

Builds the idiomatic model (stylevideogan_idiomatic.py, float32, Adam) of a preset and one real batch as
bench_training.py does, fits the standardisation, and reads VmRSS: the baseline (Python, torch and its libraries
loaded, data and model built). Then runs --iterations training iterations as the Java side does: critic_steps
critic steps (the Java preset's criticSteps: 5 at paper(), 2 at small()), each on a fresh copy of the real batch,
then one generator step. Writes the peak resident set over the whole process (VmHWM) and the baseline as report rows.

Usage: /usr/bin/python3 bench/torch/bench_train_memory.py --threads N [--config paper] [--iterations 4] --out FILE.json
"""
import argparse
import gc
import time

import torch

import benchcommon as bc
import stylevideogan_idiomatic as idm
from bench_training import real_windows

# StyleVideoGanConfig.criticSteps() of the Java presets (the idiomatic Config has no such field: the loop is the bench's)
CRITIC_STEPS = {"paper": 5, "small": 2}


def status_kb(field):
    """A kB field of /proc/self/status (VmRSS, VmHWM), or -1 where there is none."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    value, unit = line.split(":", 1)[1].split()
                    if unit != "kB":
                        raise ValueError(f"/proc/self/status: expected '{field}: N kB', found {line!r}")
                    return int(value)
    except OSError:
        pass
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--config", choices=sorted(CRITIC_STEPS), default="paper")
    ap.add_argument("--iterations", type=int, default=4)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.iterations < 1:
        raise SystemExit("--iterations: expected at least 1")
    bc.setup_threads(a.threads)
    cfg = idm.preset(a.config)
    real = real_windows(cfg, 7)
    tr = idm.build(a.config, torch.float32, seed=1)
    tr.model.fit_normalization(real)
    gc.collect()
    baseline_kb = status_kb("VmRSS")
    print(f"{a.config}: baseline VmRSS {baseline_kb / 1024:.0f} MB (VmHWM so far {status_kb('VmHWM') / 1024:.0f} MB)")

    critic_steps = CRITIC_STEPS[a.config]
    peaks, seconds = [], []
    for it in range(a.iterations):
        t0 = time.perf_counter()
        for _ in range(critic_steps):
            tr.critic_step(real.clone())
        tr.generator_step()
        seconds.append(time.perf_counter() - t0)
        peaks.append(status_kb("VmHWM") / 1024)
        print(f"iteration {it} ({critic_steps} critic + 1 generator steps): {seconds[-1]:.1f} s, VmHWM {peaks[-1]:.0f} MB,"
              f" VmRSS {status_kb('VmRSS') / 1024:.0f} MB")
    peak_kb = status_kb("VmHWM")

    what = (f"{a.config}() training, batch {cfg.batch}, t = {cfg.window_length}: {a.iterations} iterations of "
            f"{critic_steps} critic + 1 generator steps").replace(": 1 iterations", ": 1 iteration")
    note = "fresh process; stylevideogan_idiomatic.py, float32, Adam"
    rows = [
        bc.row(f"memory/{a.config}/peak", f"peak resident memory (VmHWM), {what}", peak_kb / 1048576, "GiB", False,
               [p / 1024 for p in peaks], bc.command_line(), note),
        bc.row(f"memory/{a.config}/baseline", f"resident memory before training (VmRSS; runtime loaded, {a.config}() "
               "model and a real batch built)", baseline_kb / 1048576, "GiB", False, (), bc.command_line(),
               "Python + torch"),
        bc.row(f"memory/{a.config}/growth", f"peak − baseline: what the {a.config}() training iterations add",
               (peak_kb - baseline_kb) / 1048576, "GiB", False, (), bc.command_line()),
    ]
    info = bc.info(a.threads)
    info[f"iteration seconds ({a.config})"] = seconds
    bc.write(a.out, {"impl": "pytorch", "info": info, "rows": rows})
    print(f"{a.config}: peak VmHWM {peak_kb / 1048576:.2f} GiB, baseline {baseline_kb / 1048576:.2f} GiB; wrote {a.out}")


if __name__ == "__main__":
    main()
