"""StyleVideoGAN training step and sampling in PyTorch: the model of bench/torch/stylevideogan.py (the second
implementation of the Java architecture and losses, checked against it to 4e-15), float32, fresh weights, Adam.
Same work as TrainingStepBench.java / SamplingBench.java: critic step and generator step at small() and paper(),
sampling 1500 frames from the generator in evaluation mode. Also counts the FLOPs torch's profiler sees in one
step (matmul/addmm/conv, including what autograd runs for the double backward) as a cross-check of FlopCount.

Usage: /usr/bin/python3 bench/torch/bench_training.py --threads N [--quick] --out FILE.json
"""
import argparse

import torch

import benchcommon as bc
import stylevideogan as svg


def real_windows(cfg, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(cfg.batch, cfg.window_length, cfg.layers, cfg.width, generator=g) * 0.3
    return x + torch.randn(1, 1, cfg.layers, cfg.width, generator=g) * 0.5


def profiled_flops(fn):
    """FLOPs of the matrix products torch runs in fn (torch.profiler's with_flops: mm, addmm, bmm, conv)."""
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], with_flops=True) as prof:
        fn()
    return float(sum(e.flops for e in prof.key_averages() if e.flops))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    bc.setup_threads(a.threads)  # after importing stylevideogan (it sets 2 threads at import)
    rows, info = [], bc.info(a.threads)
    configs = [("small", svg.small_config())]
    if not a.quick:
        configs.append(("paper", svg.paper_config()))
    for name, cfg in configs:
        model = svg.StyleVideoGan(cfg, svg.init_arrays(cfg, 1), dtype=torch.float32)
        tr = svg.Training(model, 2)
        real = real_windows(cfg, 7)
        warm, reps = (1, 2) if a.quick else ((10, 20) if name == "small" else (2, 5))  # as BenchMain's train groups
        for step, fn in (("critic", lambda: tr.critic_step(real)), ("generator", tr.generator_step)):
            samples = bc.time_it(fn, warm, reps)
            mean, err = bc.summary(samples)
            rows.append(bc.row(f"train/{name}/{step}", f"{step} step, {name}()", mean, "s", False, samples,
                               bc.command_line(), "stylevideogan.py, float32, Adam", err))
            info[f"torch profiler FLOPs, {step} step {name}() (GFLOP)"] = round(profiled_flops(fn) / 1e9, 2)
            print(f"{step} step {name}(): {mean:.3f} s")
    # sampling 1500 frames: the generator in evaluation mode, one sequence (paper() architecture, as in Java)
    cfg = svg.paper_config()
    model = svg.StyleVideoGan(cfg, svg.init_arrays(cfg, 1), dtype=torch.float32)
    g = torch.Generator().manual_seed(1)

    def sample():
        with torch.no_grad():
            i = torch.randn(1, cfg.latent, generator=g)
            s = torch.randn(1, 1499 * cfg.latent, generator=g)
            return model.generate(i, s, training=False, update=False)[0]

    samples = bc.time_it(sample, 1, 1 if a.quick else 5)
    mean, err = bc.summary(samples)
    rows.append(bc.row("sample/1500", "sample 1500 frames (EMA generator, paper())", mean, "s", False, samples,
                       bc.command_line(), "generate(training=False), no grad", err))
    print(f"sample 1500: {mean:.3f} s")
    bc.write(a.out, {"impl": "pytorch", "info": info, "rows": rows})


if __name__ == "__main__":
    main()
