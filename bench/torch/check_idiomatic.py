"""Numerical cross-check of the idiomatic PyTorch StyleVideoGAN (stylevideogan_idiomatic.py) against the transcription
of the Java model (stylevideogan.py), which TorchReferenceTest checks against Java to ~4e-15.

Both are built at a tiny config in float64. The transcription gets PyTorch-default weights with perturbed batch-norm
scales/shifts/running statistics and standardisation/GAP statistics (so every tensor's mapping matters), and its
tensors are copied into the idiomatic nn.Modules with load_java_state(), whose mapping is:
  - nn.Linear.weight [out, in] = Java/transcription weight [in, out] transposed;
  - nn.GRUCell weight_ih [3H, in], weight_hh [3H, H] = Java [in, 3H], [H, 3H] transposed; gate order r, z, n in both;
    generator.producer.gru{j} = generator.producer[j];
  - nn.Conv1d.weight[o, c, j] = Java channels-last im2col weight [k*C_in, C_out] at row j*C_in + c, column o;
    critic.conv{j} = critic.temporal.conv{j}, critic.fc{j} = critic.extractor.fc{j};
  - biases, batch-norm weight/bias/running_mean/running_var, stats.* vectors as they are.
Then, on the same inputs: the generator forward in eval mode (the sampling path), the critic loss (WGAN-GP, fakes in
train mode, running statistics moving) and the generator loss (adversarial + gradient angle penalty, GAP statistics
moving); losses, outputs, every parameter gradient (compared in the Java layout) and every buffer afterwards must agree
to 1e-9, relative to the largest magnitude of the transcription's tensor (max|a - b| / max|b|; for gradients at least
1e-6 of the largest gradient entry of that loss, see add_gradients). The same runs for the
variant with a fused nn.GRU(num_layers=4) producer. Finally the idiomatic model loads the Java-saved float64 model of
TorchReferenceTest (src/test/resources/motion/reference/gan.npz) and reproduces the reference terms and gradients
(torch.npz, which Java matches) on its inputs.

laptop()'s features (motion space, critic differences, spectral critic head, windows resumed in a training horizon,
smooth step noise, Kaiming initialisation) are not in the transcription, so they are checked against Java directly:
the idiomatic model (both producers) loads the Java-saved tiny laptop() of LaptopTorchReferenceTest
(src/test/resources/motion/reference/laptop/gan.npz) and reproduces Java's loss terms and every parameter gradient
(laptop/java.npz, which that test checks Java still computes) on its inputs, for windows at frame 0 and resumed after
4 steps, to 1e-9; its noise smoothing turns Java's white numbers into Java's smooth noise, and its change whitening,
fitted on the same windows, is Java's, to 1e-9; its motion space fitted on them is Java's up to each direction's sign,
to 1e-6 (Java keeps a fitted PCA in float32); and the model file it writes of that model (java_checkpoint, what the
time-to-motion bench hands Java) has the Java file's names and shapes and its weights and statistics.

Run:  nice -n 10 /usr/bin/python3 bench/torch/check_idiomatic.py      (a few seconds; exit code 1 on a mismatch)
"""
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import stylevideogan as svg  # noqa: E402
import stylevideogan_idiomatic as idm  # noqa: E402

torch.set_num_threads(1)
TOL = 1e-9
FLOAT32_TOL = 1e-6  # what Java keeps in float32 (a fitted PCA), compared with a float64 fit
REFERENCE = os.path.join(HERE, "..", "..", "src", "test", "resources", "motion", "reference")

TINY = idm.Config(batch=3, window_length=10, layers=2, width=6, latent=4, hidden=4, hallucinator_width=5,
                  mapper_width=7, critic_width=8, critic_features=3, critic_channels=2)


def transcription_config(c):
    return svg.Config(**c.java_kwargs())


def rel(a, b, floor=0.0):
    """max|a - b| / max(max|b|, floor)."""
    a, b = a.detach().double(), b.detach().double()
    if a.shape != b.shape:
        raise AssertionError(f"shapes differ: {tuple(a.shape)} vs {tuple(b.shape)}")
    return ((a - b).abs().max() / b.abs().max().clamp_min(max(floor, 1e-300))).item() if b.numel() else 0.0


def add_gradients(table, group, mine, reference):
    """Each parameter's gradient relative to its largest entry, but at least 1e-6 of the largest entry of any gradient
    of the same loss: a gradient that is zero in exact arithmetic (a bias whose layer feeds a batch norm through a
    LeakyReLU that is linear on the whole batch) is rounding noise of ~1e-17 in both, not a relative quantity."""
    scale = max(v.abs().max().item() for v in reference.values())
    for k, r in reference.items():
        zero = r.abs().max().item() < 1e-6 * scale
        table.add(group, k + (" (~0: vs 1e-6 of the largest gradient)" if zero else ""),
                  rel(mine[k], r, 1e-6 * scale))


class Table:
    def __init__(self):
        self.groups = {}

    def add(self, group, name, value):
        n, worst, where = self.groups.get(group, (0, -1.0, ""))
        self.groups[group] = (n + 1, max(worst, value), name if value > worst else where)

    def worst(self):
        return max(w for _, w, _ in self.groups.values())

    def print(self, title):
        print(f"\n{title}")
        print(f"  {'compared':<44} {'tensors':>7}  {'max rel. diff':>13}  worst")
        for g, (n, w, where) in self.groups.items():
            print(f"  {g:<44} {n:>7}  {w:>13.2e}  {where}")


def perturbed_arrays(cfg_t, seed):
    g = torch.Generator().manual_seed(seed)
    a = {k: torch.tensor(v) for k, v in svg.init_arrays(cfg_t, seed).items()}
    for k, v in a.items():
        leaf = k.rsplit(".", 1)[-1]
        bn = ".bn" in k or "_bn" in k
        if bn and leaf == "weight":
            a[k] = 1 + 0.3 * torch.randn(v.shape, generator=g, dtype=v.dtype)
        elif (bn and leaf == "bias") or leaf == "running_mean" or k in ("stats.data_mean", "stats.gap_mean"):
            a[k] = 0.3 * torch.randn(v.shape, generator=g, dtype=v.dtype)
        elif leaf == "running_var" or k == "stats.gap_var":
            a[k] = 0.5 + torch.rand(v.shape, generator=g, dtype=v.dtype)
    per_layer = 0.5 + 1.5 * torch.rand(cfg_t.layers, generator=g, dtype=torch.float64)
    a["stats.data_scale"] = per_layer.repeat_interleave(cfg_t.width)
    return {k: v.numpy() for k, v in a.items()}


def transcription_state(t):
    out = dict(t.params)
    out.update(t.buffers)
    out.update({"stats.data_mean": t.data_mean, "stats.data_scale": t.data_scale, "stats.gap_mean": t.gap_mean,
                "stats.gap_var": t.gap_var})
    # the transcription has no EMA generator; a fresh Java model's is a copy of the generator
    out.update({"ema." + k[len("generator."):]: v for k, v in list(out.items()) if k.startswith("generator.")})
    return out


def java_layout_grads(model, prefix):
    """Gradients of model parameters under `prefix` by Java name, in the Java layout."""
    out = {}
    for name, p in model.named_parameters():
        if name.startswith(prefix) and p.grad is not None:
            out[idm.java_name(name)] = idm.torch_to_java(idm._owner(model, name), name.rsplit(".", 1)[-1], p.grad)
    return out


def java_layout_buffers(model):
    out = {}
    for name, b in model.named_buffers():
        jn = idm.java_name(name)
        if jn is not None and not jn.startswith("ema."):
            out[jn] = b
    return out


def check_against_transcription(fused, seed=3):
    c = TINY
    cfg_t = transcription_config(c)
    arrays = perturbed_arrays(cfg_t, seed)
    tr = svg.StyleVideoGan(cfg_t, arrays, dtype=torch.float64)
    model = idm.StyleVideoGAN(c, fused_gru=fused).double()
    idm.load_java_state(model, transcription_state(tr), strict=True)
    table = Table()

    g = torch.Generator().manual_seed(seed + 100)
    b, t, lat = c.batch, c.window_length, c.latent
    real = torch.randn(b, t, c.layers, c.width, generator=g, dtype=torch.float64) * 0.7 + 0.2
    ci, cs = torch.randn(b, lat, generator=g, dtype=torch.float64), torch.randn(b, t - 1, lat, generator=g, dtype=torch.float64)
    eps = torch.rand(b, generator=g, dtype=torch.float64)
    gi, gs = torch.randn(b, lat, generator=g, dtype=torch.float64), torch.randn(b, t - 1, lat, generator=g, dtype=torch.float64)

    # the weights went across (the buffers are compared after the losses, once they have moved)
    mine = {idm.java_name(n): idm.torch_to_java(idm._owner(model, n), n.rsplit(".", 1)[-1], p)
            for n, p in model.named_parameters() if not n.startswith("generator_ema.")}
    for k, p in tr.params.items():
        table.add("weights copied (Java layout)", k, rel(mine[k], p))

    # generator forward in evaluation mode (the sampling path: running statistics)
    model.generator.eval()
    with torch.no_grad():
        codes_t, _, last_t = tr.generate(ci, cs.flatten(1), training=False, update=False)
        codes_i, lat_i = model.generator(ci, cs)
    table.add("generator forward, eval mode", "codes", rel(codes_i, codes_t))
    table.add("generator forward, eval mode", "l_{t-1}", rel(lat_i[:, -1], last_t))
    model.generator.train()

    # critic loss (running statistics of the generator move in both)
    out_t = tr.critic_loss(real, ci, cs.flatten(1), eps, update=True)
    out_i = model.critic_loss(real, ci, cs, eps)
    for k in ("loss", "wasserstein", "gp"):
        table.add("critic loss terms", k, rel(out_i[k], out_t[k]))
    table.add("critic loss terms", "fake codes", rel(out_i["fake"], out_t["fake"]))
    out_t["loss"].backward()
    out_i["loss"].backward()
    grads_i = java_layout_grads(model, "critic.")
    add_gradients(table, "critic loss: critic parameter gradients", grads_i,
                  {k: p.grad for k, p in tr.critic_parameters().items()})
    crit_terms = {k: out_t[k].item() for k in ("loss", "wasserstein", "gp")}

    # generator loss (GAP statistics and batch-norm running statistics move in both)
    for p in list(tr.params.values()) + list(model.parameters()):
        p.grad = None
    out_t = tr.generator_loss(gi, gs.flatten(1), update=True)
    out_i = model.generator_loss(gi, gs)
    for k in ("loss", "adversarial", "gap"):
        table.add("generator loss terms", k, rel(out_i[k], out_t[k]))
    table.add("generator loss terms", "phi", rel(out_i["phi"], out_t["phi"]))
    table.add("generator loss terms", "fake codes", rel(out_i["fake"], out_t["fake"]))
    out_t["loss"].backward()
    out_i["loss"].backward()
    grads_i = java_layout_grads(model, "generator.")
    add_gradients(table, "generator loss: generator parameter gradients", grads_i,
                  {k: p.grad for k, p in tr.generator_parameters().items()})
    gen_terms = {k: out_t[k].item() for k in ("loss", "adversarial", "gap")}
    active = int((out_t["phi"] < math.pi / 4).sum())

    # buffers after both losses
    bufs_t = {**tr.buffers, "stats.gap_mean": tr.gap_mean, "stats.gap_var": tr.gap_var}
    bufs_i = java_layout_buffers(model)
    for k, v in bufs_t.items():
        table.add("buffers after both losses", k, rel(bufs_i[k], v))

    variant = "nn.GRU(num_layers=4)" if fused else "4 x nn.GRUCell"
    table.print(f"idiomatic ({variant}) vs transcription, tiny config, float64  [critic loss {crit_terms['loss']:.6f}"
                f" (GP {crit_terms['gp']:.6f}), generator loss {gen_terms['loss']:.6f} (GAP {gen_terms['gap']:.6f},"
                f" hinge active in {active}/{b} windows)]")
    return table.worst()


def check_against_java_fixture():
    """The idiomatic model on the Java-saved model and inputs of TorchReferenceTest vs the stored reference terms."""
    paths = [os.path.join(REFERENCE, f) for f in ("gan.npz", "inputs.npz", "torch.npz")]
    if not all(os.path.exists(p) for p in paths):
        print("\n(Java fixture not found; skipped)")
        return 0.0
    gan, inputs, ref = (np.load(p) for p in paths)
    c = idm.Config.from_java_properties(bytes(gan["meta.config"].astype(np.uint8)).decode("utf-8"))
    model = idm.StyleVideoGAN(c).double()
    idm.load_java_state(model, {k: gan[k].astype(np.float64) for k in gan.files if not k.startswith("meta.")})
    t64 = lambda name: torch.tensor(inputs[name], dtype=torch.float64)  # noqa: E731
    lat, steps = c.latent, c.window_length - 1
    table = Table()
    model.generator.train()
    # batch statistics in train mode; the running statistics are not read by the losses, so that they move here
    # (Java's TRAIN_FROZEN keeps them) changes nothing compared
    out = model.critic_loss(t64("real"), t64("critic_i"), t64("critic_s").view(-1, steps, lat), t64("critic_eps"))
    for k in ("loss", "wasserstein", "gp"):
        table.add("critic loss terms", k, rel(out[k].reshape(1), torch.tensor(ref["critic." + k])))
    table.add("critic loss terms", "fake codes", rel(out["fake"].flatten(0, 1), torch.tensor(ref["critic.fake"])))
    out["loss"].backward()
    grads = java_layout_grads(model, "critic.")
    add_gradients(table, "critic parameter gradients", grads,
                  {k[len("critic.grad."):]: torch.tensor(ref[k]) for k in ref.files if k.startswith("critic.grad.")})
    model.zero_grad(set_to_none=True)
    out = model.generator_loss(t64("generator_i"), t64("generator_s").view(-1, steps, lat), update_statistics=False)
    for k in ("loss", "adversarial", "gap"):
        table.add("generator loss terms", k, rel(out[k].reshape(1), torch.tensor(ref["generator." + k])))
    table.add("generator loss terms", "phi", rel(out["phi"], torch.tensor(ref["generator.phi"])))
    out["loss"].backward()
    grads = java_layout_grads(model, "generator.")
    add_gradients(table, "generator parameter gradients", grads,
                  {k[len("generator.grad."):]: torch.tensor(ref[k]) for k in ref.files if k.startswith("generator.grad.")})
    table.print("idiomatic on the Java-saved model of TorchReferenceTest (gan.npz, inputs.npz) vs its reference terms"
                " (torch.npz; Java agrees with them)")
    return table.worst()


LAPTOP = os.path.join(REFERENCE, "laptop")


def check_against_java_laptop_fixture(fused=False):
    """laptop()'s features against Java (the transcription has none of them): the idiomatic model loads the Java-saved
    tiny laptop() of LaptopTorchReferenceTest (laptop/gan.npz: motion space, critic differences, spectral head, Kaiming
    weights) and reproduces Java's terms and gradients (laptop/java.npz) on its inputs, for windows at frame 0 and
    resumed after the steps in *_before; its noise smoothing turns Java's white numbers into Java's smooth noise; and
    fitted on the same windows, its motion space (up to the sign of each direction) and change whitening are Java's."""
    paths = [os.path.join(LAPTOP, f) for f in ("gan.npz", "inputs.npz", "java.npz")]
    if not all(os.path.exists(p) for p in paths):
        print("\n(Java laptop() fixture not found; skipped)")
        return 0.0
    gan, inputs, ref = (np.load(p) for p in paths)
    c = idm.Config.from_java_properties(bytes(gan["meta.config"].astype(np.uint8)).decode("utf-8"))
    java = {k: gan[k].astype(np.float64) for k in gan.files if not k.startswith("meta.")}
    model = idm.StyleVideoGAN(c, fused_gru=fused).double()
    idm.load_java_state(model, java)
    t64 = lambda name: torch.tensor(inputs[name], dtype=torch.float64)  # noqa: E731
    r64 = lambda name: torch.tensor(ref[name], dtype=torch.float64)  # noqa: E731
    lat, steps = c.latent, c.window_length - 1
    noise = lambda name: t64(name).view(c.batch, -1, lat)  # noqa: E731  Java's [B, n*latent], step-major
    table = Table()
    # the Java-layout model file this model writes (what the time-to-motion bench hands Java), before the losses move
    # its batch-norm statistics: Java's names and shapes, and the weights and statistics it loaded (its Adam states are
    # fresh, so those are not compared)
    props = bytes(gan["meta.config"].astype(np.uint8)).decode("utf-8")
    written = idm.java_checkpoint(idm.Training(model), props)
    if sorted(written) != sorted(gan.files) or any(written[k].shape != gan[k].shape for k in gan.files):
        raise AssertionError("java_checkpoint: names or shapes differ from the Java-saved file: "
                             f"{sorted(set(written) ^ set(gan.files))[:5]}")
    for k in gan.files:
        if not k.startswith(("meta.", "adam_")):
            table.add("java_checkpoint() vs the Java-saved file", k, rel(torch.tensor(written[k]), torch.tensor(gan[k])))
    model.generator.train()
    for group, before in (("critic", None), ("critic_late", noise("critic_before"))):
        out = model.critic_loss(t64("real"), t64("critic_i"), noise("critic_s"), t64("critic_eps"), before)
        for k in ("loss", "wasserstein", "gp"):
            table.add(f"{group}: loss terms", k, rel(out[k].reshape(1), r64(f"{group}.{k}")))
        table.add(f"{group}: loss terms", "fake codes", rel(out["fake"].flatten(0, 1), r64(f"{group}.fake")))
        model.zero_grad(set_to_none=True)
        out["loss"].backward()
        add_gradients(table, f"{group}: critic parameter gradients", java_layout_grads(model, "critic."),
                      {k[len(group + ".grad."):]: r64(k) for k in ref.files if k.startswith(group + ".grad.")})
    for group, before in (("generator", None), ("generator_late", noise("generator_before"))):
        model.zero_grad(set_to_none=True)
        out = model.generator_loss(t64("generator_i"), noise("generator_s"), before, update_statistics=False)
        for k in ("loss", "adversarial", "gap"):
            table.add(f"{group}: loss terms", k, rel(out[k].reshape(1), r64(f"{group}.{k}")))
        table.add(f"{group}: loss terms", "phi", rel(out["phi"], r64(f"{group}.phi")))
        out["loss"].backward()
        reference = {k[len(group + ".grad."):]: r64(k) for k in ref.files if k.startswith(group + ".grad.")}
        mine = {k[len("generator."):]: v for k, v in java_layout_grads(model, "generator.").items()}
        # a resumed window starts from constant states: the hallucinator gets no gradient (Java: zeros)
        mine.update({k: torch.zeros_like(v) for k, v in reference.items() if k not in mine})
        add_gradients(table, f"{group}: generator parameter gradients", mine, reference)
    # smooth step noise from the same white numbers
    white = r64("noise.white")
    table.add("step noise (smoothing of Java's white draws)", "noise",
              rel(idm.StepNoise(c).smooth(white), r64("noise.out").view(white.shape[0], -1, lat)))
    # the change whitening fitted on the fixture's windows, in Java's (loaded) motion space: float64 on both sides
    model.fit_change_whitening(t64("real"))
    table.add("change whitening (fit_change_whitening)", "change_whitening",
              rel(model.critic.change_whitening, torch.tensor(java["stats.change_whitening"])))
    variant = "nn.GRU(num_layers=4)" if fused else "4 x nn.GRUCell"
    table.print(f"idiomatic laptop() ({variant}) on the Java-saved model of LaptopTorchReferenceTest (laptop/gan.npz,"
                " inputs.npz) vs Java's terms (laptop/java.npz) and fitted change whitening")
    # the motion space fitted on the same windows: Java keeps a PCA's mean and directions in float32 (LatentPca), also
    # in a float64 model, so it agrees to float32 rounding
    fits = Table()
    fresh = idm.StyleVideoGAN(c).double()
    fresh.fit_normalization(t64("real"))
    basis, jbasis = fresh.basis, torch.tensor(java["stats.basis"])
    signs = torch.sign((basis * jbasis).sum(1, keepdim=True))
    space = "motion space (fit_normalization; Java float32)"
    fits.add(space, "data_mean", rel(fresh.data_mean, torch.tensor(java["stats.data_mean"])))
    fits.add(space, "basis (up to sign)", rel(basis * signs, jbasis))
    fits.add(space, "basis_scale", rel(fresh.basis_scale, torch.tensor(java["stats.basis_scale"])))
    fits.print(f"idiomatic laptop() motion space fitted on the fixture's windows vs Java's in laptop/gan.npz"
               f" (tolerance {FLOAT32_TOL:g}: Java's PCA is float32)")
    return table.worst(), fits.worst()


def main():
    worst = {"transcription, GRUCell": check_against_transcription(False),
             "transcription, fused nn.GRU": check_against_transcription(True),
             "Java fixture": check_against_java_fixture()}
    worst["Java laptop() fixture, GRUCell"], worst["Java laptop() fitted motion space"] = \
        check_against_java_laptop_fixture(False)
    worst["Java laptop() fixture, fused nn.GRU"], _ = check_against_java_laptop_fixture(True)
    tolerance = {k: FLOAT32_TOL if k.endswith("motion space") else TOL for k in worst}
    print()
    for k, w in worst.items():
        print(f"max relative difference vs {k}: {w:.2e} (tolerance {tolerance[k]:g})")
    bad = {k: w for k, w in worst.items() if not w <= tolerance[k]}
    if bad:
        print(f"FAIL: above tolerance: {bad}")
        sys.exit(1)
    print("OK: every compared tensor agrees within its tolerance (relative to its largest magnitude; gradients: see"
          " add_gradients)")

if __name__ == "__main__":
    main()
