"""StyleVideoGAN training step and sampling in PyTorch, float32, fresh weights, Adam. Same work as
TrainingStepBench.java / SamplingBench.java: critic step and generator step at small() and paper(), sampling 1500
frames from the generator in evaluation mode. Also counts the FLOPs torch's profiler sees in one step
(matmul/addmm/conv, including what autograd runs for the double backward) as a cross-check of FlopCount.

--impl idiomatic (default): stylevideogan_idiomatic.py, the model as a PyTorch user writes it (nn.GRUCell, nn.Linear,
    nn.BatchNorm1d, nn.Conv1d, autograd.grad, Adam, EMA); sample(1500) from the EMA generator, destandardised.
    --fused-gru: its producer as one nn.GRU(num_layers=4) (same numbers, CPU only: cuDNN has no double backward).
--impl transcription: stylevideogan.py, the line-by-line transcription of the Java model (its numerical cross-check);
    sampling there is the training generator in eval mode, not destandardised.
Both agree to ~1e-13 in float64 (check_idiomatic.py). Both use the sizes of the Java presets small() and paper().

Usage: /usr/bin/python3 bench/torch/bench_training.py --threads N [--quick] [--impl idiomatic|transcription]
       [--fused-gru] --out FILE.json
"""
import argparse

import torch

import benchcommon as bc
import stylevideogan as svg
import stylevideogan_idiomatic as idm


def real_windows(cfg, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(cfg.batch, cfg.window_length, cfg.layers, cfg.width, generator=g) * 0.3
    return x + torch.randn(1, 1, cfg.layers, cfg.width, generator=g) * 0.5


def profiled_flops(fn):
    """FLOPs of the matrix products torch runs in fn (torch.profiler's with_flops: mm, addmm, bmm, conv)."""
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], with_flops=True) as prof:
        fn()
    return float(sum(e.flops for e in prof.key_averages() if e.flops))


class Idiomatic:
    """stylevideogan_idiomatic.Training of a Java preset; the standardisation fitted to the real windows (as Java's
    TrainingStepBench does with fitNormalization)."""

    def __init__(self, name, real=None, fused_gru=False):
        self.tr = idm.build(name, torch.float32, seed=1, fused_gru=fused_gru)
        self.cfg = self.tr.model.config
        if real is not None:
            self.tr.model.fit_normalization(real)
        self.note = "stylevideogan_idiomatic.py (%s), float32, Adam" % (
            "nn.GRU(num_layers=4)" if fused_gru else "nn.GRUCell x 4")

    def critic_step(self, real):
        return self.tr.critic_step(real)

    def generator_step(self):
        return self.tr.generator_step()

    def sample(self, length):
        return self.tr.sample(length)

    sample_note = "EMA generator, eval mode, no grad, destandardised"


class Transcription:
    """stylevideogan.py (the transcription of the Java model) at the same preset sizes; identity standardisation."""

    def __init__(self, name, real=None):
        self.cfg = idm.preset(name)
        cfg = svg.Config(**self.cfg.java_kwargs())
        self.model = svg.StyleVideoGan(cfg, svg.init_arrays(cfg, 1), dtype=torch.float32)
        self.tr = svg.Training(self.model, 2)
        self.g = torch.Generator().manual_seed(1)
        self.note = "stylevideogan.py (transcription), float32, Adam"

    def critic_step(self, real):
        return self.tr.critic_step(real)

    def generator_step(self):
        return self.tr.generator_step()

    def sample(self, length):
        c = self.model.cfg
        with torch.no_grad():
            i = torch.randn(1, c.latent, generator=self.g)
            s = torch.randn(1, (length - 1) * c.latent, generator=self.g)
            return self.model.generate(i, s, training=False, update=False)[0]

    sample_note = "training generator, generate(training=False), no grad"


def make(impl, name, real=None, fused_gru=False):
    if impl == "idiomatic":
        return Idiomatic(name, real, fused_gru)
    if fused_gru:
        raise SystemExit("--fused-gru applies to --impl idiomatic only")
    return Transcription(name, real)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--impl", choices=("idiomatic", "transcription"), default="idiomatic")
    ap.add_argument("--fused-gru", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    bc.setup_threads(a.threads)  # after importing stylevideogan (it sets 2 threads at import)
    rows, info = [], bc.info(a.threads)
    names = ["small"] if a.quick else ["small", "paper"]
    for name in names:
        cfg = idm.preset(name)
        real = real_windows(cfg, 7)
        m = make(a.impl, name, real, a.fused_gru)
        warm, reps = (1, 2) if a.quick else ((10, 20) if name == "small" else (2, 5))  # as BenchMain's train groups
        for step, fn in (("critic", lambda: m.critic_step(real)), ("generator", m.generator_step)):
            samples = bc.time_it(fn, warm, reps)
            mean, err = bc.summary(samples)
            rows.append(bc.row(f"train/{name}/{step}", f"{step} step, {name}()", mean, "s", False, samples,
                               bc.command_line(), m.note, err))
            info[f"torch profiler FLOPs, {step} step {name}() (GFLOP)"] = round(profiled_flops(fn) / 1e9, 2)
            print(f"{step} step {name}(): {mean:.3f} s")
    # sampling 1500 frames: one sequence from the generator in evaluation mode (paper() architecture, as in Java)
    m = make(a.impl, "paper", fused_gru=a.fused_gru)
    samples = bc.time_it(lambda: m.sample(1500), 1, 1 if a.quick else 5)
    mean, err = bc.summary(samples)
    rows.append(bc.row("sample/1500", "sample 1500 frames (EMA generator, paper())", mean, "s", False, samples,
                       bc.command_line(), f"{m.note}; {m.sample_note}", err))
    print(f"sample 1500: {mean:.3f} s")
    info["PyTorch implementation"] = m.note
    bc.write(a.out, {"impl": "pytorch", "info": info, "rows": rows})


if __name__ == "__main__":
    main()
