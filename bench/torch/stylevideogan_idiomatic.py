"""StyleVideoGAN (seed 002) written the way a PyTorch user writes it: the idiomatic PyTorch baseline of the
benchmarks (issue #20).

``stylevideogan.py`` next to this file is a *transcription* of the Java model (weights kept in Java's ``[in, out]``
layout, a GRU step written out from its equations, a channels-last im2col convolution); it exists to check the Java
gradients and stays as the numerical cross-check. This file is a second, independent implementation of the same
architecture and losses from ``torch.nn`` building blocks:

  generator  G(i, s): i [B, latent], s [B, t-1, latent] -> standardised W+ codes [B, t, L*D], latents [B, t, hidden]
    hallucinator  nn.Sequential of 4 x (nn.Linear + nn.LeakyReLU), nn.BatchNorm1d(3*hidden); chunk(3) -> h0..h2, h3 := i
    producer      nn.ModuleList of 4 nn.GRUCell (cell 0 reads s_k, cell j the new state of cell j-1); l_0 = i,
                  l_{k+1} = the last cell's state. (Exactly the wiring of nn.GRU(num_layers=4), but the gradient angle
                  penalty needs a double backward through the recurrence, which cuDNN's fused nn.GRU does not
                  support (pytorch/pytorch#5261; the GPU GRU cell got one in #26660); a PyTorch user who wants the
                  model to run on a GPU writes the cells. Pass fused_gru=True to use nn.GRU instead, on CPU.)
    mapper        nn.BatchNorm1d, nn.Linear, PixelNorm, 4 x (nn.Linear + nn.LeakyReLU), nn.BatchNorm1d, nn.Linear,
                  the L parallel W+ heads as ONE nn.Linear(M, L*D) + nn.LeakyReLU + nn.BatchNorm1d(L*D)
                  (batch norm is per feature, so this is exactly L independent Linear(M, D) + BatchNorm1d(D) heads);
                  batch statistics over all B*t frames.
  critic     C(x): x [B, t, L*D] -> [B]: nn.Sequential of 6 x (nn.Linear + nn.LeakyReLU) per frame (nn.Linear acts on
             the last dim), transpose to channels-first [B, C, t], nn.Conv1d(k 4, s 2, p 1) + nn.LeakyReLU while the
             length is > 4 (channels doubling), then one nn.Conv1d whose kernel spans the remaining frames.
  losses     critic:    mean C(fake) - mean C(real) + lambda_gp * mean((|grad_x C(x_hat)| - 1)^2), x_hat = lerp(fake, real,
                        eps), the gradient from torch.autograd.grad(create_graph=True); fakes in train mode, no grad.
             generator: -mean C(G(i, s)) + lambda_gap * mean(relu(pi/4 - phi)^2), phi = atan(|dd/ds| / |dd/di|) per
                        window, d = sum_b |(l_{t-1} - l_0 - mu) / sigma|, mu/sigma^2 running statistics (momentum 0.1)
                        updated before use; gradients by torch.autograd.grad(create_graph=True).
  training   torch.optim.Adam (betas (0, 0.9), eps 1e-8) per network; the critic's requires_grad is switched off for
             the generator step; the EMA generator is a no_grad lerp of the weights with buffers copied (StyleGAN2-ADA's
             rule, as Java); before sampling its batch-norm statistics are re-estimated from 128 windows (what
             torch.optim.swa_utils.update_bn does; written out because G takes two inputs).

Choices where the paper is silent follow the Java class comment of org.latentmotion.motion.StyleVideoGan (+1e-12 inside
each square root of the penalties, PixelNorm eps 1e-8, per-layer W+ standardisation). Only the presets the benchmarks
time are supported: full W+ codes (motionComponents 0), no criticDifferences, white step noise, no training horizon,
PyTorch's default initialisation (which the torch modules here use as they are) -- i.e. paper() and small().

Entry points for the bench:  tr = build("small"); tr.critic_step(real [B, t, L, D]); tr.generator_step();
tr.sample(1500) -> [1500, L, D].  load_java_state() reads a Java-layout state (a Java-saved NPZ or the transcription's
tensors) into the modules; the mapping is documented there.
"""
import copy
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, fields, replace

import torch
import torch.nn.functional as F
from torch import nn

PIXEL_NORM_EPS = 1e-8
NORM_EPS = 1e-12  # inside each square root of the penalties (Java's choice)
GAP_MOMENTUM = 0.1


@dataclass(frozen=True)
class Config:
    """The sizes and hyper-parameters of StyleVideoGanConfig that this model uses (defaults: paper())."""
    batch: int = 128
    window_length: int = 25
    layers: int = 18
    width: int = 512
    latent: int = 32
    hidden: int = 32
    hallucinator_width: int = 96
    mapper_width: int = 512
    critic_width: int = 512
    critic_features: int = 32
    critic_channels: int = 64
    lr_generator: float = 0.005
    lr_critic: float = 0.005
    beta1: float = 0.0
    beta2: float = 0.9
    ema_decay: float = 0.995
    lambda_gp: float = 50.0
    lambda_gap: float = 100.0
    slope: float = 0.2

    @property
    def features(self):
        return self.layers * self.width

    def extractor_widths(self):
        """criticWidth twice, then geometrically down to criticFeatures (Java's Math.round, i.e. half up)."""
        w, f = self.critic_width, self.critic_features
        return [w, w] + [f if j == 4 else int(math.floor(w * (f / w) ** (j / 4.0) + 0.5)) for j in range(1, 5)]

    # names of StyleVideoGanConfig.toProperties() (Java model files' meta.config)
    _JAVA = dict(batch="batch", windowLength="window_length", layers="layers", width="width", latentDim="latent",
                 hidden="hidden", hallucinatorWidth="hallucinator_width", mapperWidth="mapper_width",
                 criticWidth="critic_width", criticFeatures="critic_features", criticChannels="critic_channels",
                 lrGenerator="lr_generator", lrCritic="lr_critic", beta1="beta1", beta2="beta2", emaDecay="ema_decay",
                 lambdaGp="lambda_gp", lambdaGap="lambda_gap", leakySlope="slope")
    # settings of the Java config this implementation does not have: the value it must have here
    _UNSUPPORTED = dict(motionComponents="0", criticDifferences="false", kaimingInit="false", gruTimescale="0",
                        mapperPixelNorm="true", trainingHorizon="0", noiseSmoothing="0")

    def java_kwargs(self):
        """The settings under StyleVideoGanConfig's names (what stylevideogan.Config(**kw) takes)."""
        return {java: getattr(self, py) for java, py in self._JAVA.items()}

    @classmethod
    def from_java_properties(cls, text):
        """A Config from StyleVideoGanConfig.toProperties() text (name=value lines)."""
        kv = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
        kv = {k.strip(): v.strip() for k, v in kv.items()}
        def value(v):
            return {"true": 1.0, "false": 0.0}[v.lower()] if v.lower() in ("true", "false") else float(v)
        for k, want in cls._UNSUPPORTED.items():
            if k in kv and value(kv[k]) != value(want):
                raise NotImplementedError(f"{k}={kv[k]}: only the paper's variant ({k}={want}) is implemented here")
        types = {f.name: f.type for f in fields(cls)}
        kw = {}
        for java, py in cls._JAVA.items():
            if java in kv:
                kw[py] = (int if types[py] in (int, "int") else float)(kv[java])
        return cls(**kw)


PRESETS = {
    # StyleVideoGanConfig.paper() and small() (toolkit/org/latentmotion/motion/StyleVideoGanConfig.java)
    "paper": Config(),
    "small": Config(batch=16, hallucinator_width=64, mapper_width=64, critic_width=64, critic_channels=32,
                    ema_decay=0.99),
}


def preset(name, **overrides):
    """The Config of a Java preset by name (paper, small), with fields replaced by keyword."""
    if name not in PRESETS:
        raise ValueError(f"config {name!r}: this implementation has {sorted(PRESETS)} (laptop() needs the motion "
                         "space, critic differences, a training horizon and smooth noise, which are not implemented)")
    return replace(PRESETS[name], **overrides)


# ---------------------------------------------------------------------------------------------------------------
# modules


class PixelNorm(nn.Module):
    """x / sqrt(mean(x^2 over features) + eps), per row."""

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + PIXEL_NORM_EPS)


def linear_stack(prefix, widths, slope):
    """(prefix{j}: nn.Linear, act{j}: nn.LeakyReLU) for consecutive widths, as named entries of an nn.Sequential."""
    out = []
    for j, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        out += [(f"{prefix}{j}", nn.Linear(a, b)), (f"act{j}", nn.LeakyReLU(slope))]
    return out


class Generator(nn.Module):
    def __init__(self, c: Config, fused_gru=False):
        super().__init__()
        lat, hid, hw, m = c.latent, c.hidden, c.hallucinator_width, c.mapper_width
        if lat != hid:
            raise ValueError("latent must equal hidden (the last GRU cell starts from i)")
        self.hallucinator = nn.Sequential(OrderedDict(
            linear_stack("fc", [lat, hw, hw, hw, 3 * hid], c.slope) + [("bn", nn.BatchNorm1d(3 * hid))]))
        self.fused_gru = fused_gru
        if fused_gru:
            self.producer = nn.GRU(lat, hid, num_layers=4, batch_first=True)
        else:
            self.producer = nn.ModuleList([nn.GRUCell(lat if j == 0 else hid, hid) for j in range(4)])
        self.mapper = nn.Sequential(OrderedDict(
            [("bn_in", nn.BatchNorm1d(hid)), ("affine_in", nn.Linear(hid, m)), ("pixel_norm", PixelNorm())]
            + linear_stack("fc", [m] * 5, c.slope)
            + [("bn_mid", nn.BatchNorm1d(m)), ("affine_mid", nn.Linear(m, m)),
               ("heads", nn.Linear(m, c.features)), ("heads_act", nn.LeakyReLU(c.slope)),
               ("heads_bn", nn.BatchNorm1d(c.features))]))

    def forward(self, i, s):
        """i [B, latent], s [B, t-1, latent] -> (codes [B, t, features], latents l_0..l_{t-1} [B, t, hidden])."""
        b = i.shape[0]
        h = list(self.hallucinator(i).chunk(3, dim=1)) + [i]
        if self.fused_gru:
            out, _ = self.producer(s, torch.stack(h, 0))
            latents = torch.cat([i.unsqueeze(1), out], dim=1)
        else:
            ls = [i]
            for s_k in s.unbind(1):
                x = s_k
                for j, cell in enumerate(self.producer):
                    h[j] = x = cell(x, h[j])
                ls.append(x)
            latents = torch.stack(ls, dim=1)
        codes = self.mapper(latents.flatten(0, 1))  # rows by window, then frame
        return codes.view(b, latents.shape[1], -1), latents


class Critic(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.extractor = nn.Sequential(OrderedDict(
            linear_stack("fc", [c.features] + c.extractor_widths(), c.slope)))
        convs, length, ch, out, j = [], c.window_length, c.critic_features, c.critic_channels, 0
        while length > 4:
            convs += [(f"conv{j}", nn.Conv1d(ch, out, 4, stride=2, padding=1)), (f"act{j}", nn.LeakyReLU(c.slope))]
            length = (length + 2 - 4) // 2 + 1
            ch, out, j = out, 2 * out, j + 1
        convs.append((f"conv{j}", nn.Conv1d(ch, 1, length)))
        self.temporal = nn.Sequential(OrderedDict(convs))

    def forward(self, x):
        """x [B, t, features] -> [B]."""
        e = self.extractor(x)                                  # [B, t, criticFeatures]
        return self.temporal(e.transpose(1, 2)).flatten()      # channels-first for Conv1d -> [B, 1, 1] -> [B]


class StyleVideoGAN(nn.Module):
    """Generator, critic, EMA generator and the statistics buffers; the two losses."""

    def __init__(self, c: Config, fused_gru=False):
        super().__init__()
        self.config = c
        self.generator = Generator(c, fused_gru)
        self.critic = Critic(c)
        self.generator_ema = copy.deepcopy(self.generator).requires_grad_(False).eval()
        self.register_buffer("data_mean", torch.zeros(c.features))
        self.register_buffer("data_scale", torch.ones(c.features))
        self.register_buffer("gap_mean", torch.zeros(c.hidden))
        self.register_buffer("gap_var", torch.ones(c.hidden))

    # standardised W+ codes: (x - mean) / scale, one scale per W+ layer
    def standardize(self, x):
        """Raw codes [..., L, D] -> [..., L*D]."""
        return (x.flatten(-2) - self.data_mean) / self.data_scale

    def destandardize(self, codes):
        """[..., L*D] -> raw codes [..., L, D]."""
        return (codes * self.data_scale + self.data_mean).unflatten(-1, (self.config.layers, self.config.width))

    @torch.no_grad()
    def fit_normalization(self, frames):
        """The mean per element and the RMS of each layer's per-element standard deviations, from frames [..., L, D]."""
        x = frames.reshape(-1, self.config.layers, self.config.width).double()
        scale = x.var(0, unbiased=False).mean(1).sqrt()
        scale = torch.where(scale > 1e-12, scale, torch.ones_like(scale))
        self.data_mean.copy_(x.mean(0).flatten())
        self.data_scale.copy_(scale.repeat_interleave(self.config.width))

    def critic_loss(self, real, i, s, eps):
        """WGAN-GP: real [B, t, L, D] raw codes, noise i [B, latent], s [B, t-1, latent], eps [B] in [0, 1)."""
        with torch.no_grad():
            fake, _ = self.generator(i, s)  # train mode: batch statistics (running ones move)
        real = self.standardize(real)
        d_real, d_fake = self.critic(real), self.critic(fake)
        x_hat = torch.lerp(fake, real, eps.view(-1, 1, 1)).requires_grad_(True)
        grad, = torch.autograd.grad(self.critic(x_hat).sum(), x_hat, create_graph=True)
        norms = torch.sqrt(grad.flatten(1).pow(2).sum(1) + NORM_EPS)
        gp = (norms - 1).pow(2).mean()
        loss = d_fake.mean() - d_real.mean() + self.config.lambda_gp * gp
        return dict(loss=loss, wasserstein=(d_real.mean() - d_fake.mean()).detach(), gp=gp.detach(), fake=fake)

    def generator_loss(self, i, s, update_statistics=True):
        """Adversarial loss + gradient angle penalty; i and s become leaves that require grad."""
        i, s = i.detach().requires_grad_(True), s.detach().requires_grad_(True)
        fake, latents = self.generator(i, s)
        adversarial = -self.critic(fake).mean()
        diff = latents[:, -1] - latents[:, 0]
        if update_statistics:
            with torch.no_grad():
                self.gap_mean.lerp_(diff.mean(0), GAP_MOMENTUM)
                if diff.shape[0] > 1:
                    self.gap_var.lerp_(diff.var(0), GAP_MOMENTUM)
        d = torch.sqrt(((diff - self.gap_mean) * torch.rsqrt(self.gap_var + 1e-5)).pow(2).sum(1) + NORM_EPS)
        grad_s, grad_i = torch.autograd.grad(d.sum(), (s, i), create_graph=True)
        norm_s = torch.sqrt(grad_s.flatten(1).pow(2).sum(1) + NORM_EPS)
        norm_i = torch.sqrt(grad_i.pow(2).sum(1) + NORM_EPS)
        phi = torch.atan(norm_s / norm_i)
        gap = F.relu(math.pi / 4 - phi).pow(2).mean()
        loss = adversarial + self.config.lambda_gap * gap
        return dict(loss=loss, adversarial=adversarial.detach(), gap=gap.detach(), phi=phi.detach(), fake=fake)

    @torch.no_grad()
    def update_ema(self):
        """shadow <- decay * shadow + (1 - decay) * weights; batch-norm buffers copied."""
        for p_ema, p in zip(self.generator_ema.parameters(), self.generator.parameters()):
            p_ema.lerp_(p, 1 - self.config.ema_decay)
        for b_ema, b in zip(self.generator_ema.buffers(), self.generator.buffers()):
            b_ema.copy_(b)

    @torch.no_grad()
    def calibrate_ema(self, i, s):
        """Re-estimates the EMA generator's batch-norm statistics from one batch (swa_utils.update_bn's recipe)."""
        norms = [m for m in self.generator_ema.modules() if isinstance(m, nn.BatchNorm1d)]
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # cumulative average: after one batch, its statistics
        self.generator_ema.train()
        self.generator_ema(i, s)
        self.generator_ema.eval()
        for m, mom in zip(norms, momenta):
            m.momentum = mom


# ---------------------------------------------------------------------------------------------------------------
# training steps and sampling (the bench's entry points)


def set_requires_grad(module, flag):
    for p in module.parameters():
        p.requires_grad_(flag)


class Training:
    """Adam on each network, one critic step / one generator step (+ EMA) as StyleVideoGan.criticStep/generatorStep,
    sampling from the EMA generator as StyleVideoGan.sample."""

    CALIBRATION_WINDOWS = 128

    def __init__(self, model: StyleVideoGAN, seed=0):
        c = model.config
        self.model = model
        self.opt_g = torch.optim.Adam(model.generator.parameters(), lr=c.lr_generator, betas=(c.beta1, c.beta2),
                                      eps=1e-8)
        self.opt_c = torch.optim.Adam(model.critic.parameters(), lr=c.lr_critic, betas=(c.beta1, c.beta2), eps=1e-8)
        self.rng = torch.Generator().manual_seed(seed)
        self.generator_steps = 0
        self._calibrated_at = -1

    def noise(self, b, length=None):
        c, dt = self.model.config, self.model.data_mean.dtype
        length = c.window_length if length is None else length
        i = torch.randn(b, c.latent, generator=self.rng, dtype=dt)
        s = torch.randn(b, max(length - 1, 0), c.latent, generator=self.rng, dtype=dt)
        return i, s

    def critic_step(self, real):
        m = self.model
        m.generator.train()
        set_requires_grad(m.critic, True)
        b = real.shape[0]
        i, s = self.noise(b)
        eps = torch.rand(b, generator=self.rng, dtype=real.dtype)
        loss = m.critic_loss(real, i, s, eps)["loss"]
        self.opt_c.zero_grad(set_to_none=True)
        loss.backward()
        value = loss.item()
        if math.isfinite(value):  # Java skips a step whose loss is not finite
            self.opt_c.step()
        return value

    def generator_step(self):
        m = self.model
        m.generator.train()
        set_requires_grad(m.critic, False)  # no weight gradients for the critic in the generator's step
        i, s = self.noise(m.config.batch)
        loss = m.generator_loss(i, s)["loss"]
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        set_requires_grad(m.critic, True)
        value = loss.item()
        if math.isfinite(value):
            self.opt_g.step()
            m.update_ema()
            self.generator_steps += 1
        return value

    @torch.no_grad()
    def sample(self, length, seed=None):
        """A trajectory [length, L, D] (raw W+ codes) from the EMA generator in evaluation mode."""
        m = self.model
        if self._calibrated_at != self.generator_steps:  # once per set of weights, as Java
            g = torch.Generator().manual_seed(17)
            c, dt = m.config, m.data_mean.dtype
            m.calibrate_ema(torch.randn(self.CALIBRATION_WINDOWS, c.latent, generator=g, dtype=dt),
                            torch.randn(self.CALIBRATION_WINDOWS, c.window_length - 1, c.latent, generator=g, dtype=dt))
            self._calibrated_at = self.generator_steps
        if seed is not None:
            self.rng.manual_seed(seed)
        i, s = self.noise(1, length)
        m.generator_ema.eval()
        codes, _ = m.generator_ema(i, s)
        return m.destandardize(codes[0])


def build(name, dtype=torch.float32, seed=0, fused_gru=False, **overrides):
    """A Training of a fresh model (PyTorch's default initialisation) of a preset (paper, small)."""
    torch.manual_seed(seed)
    model = StyleVideoGAN(preset(name, **overrides), fused_gru=fused_gru).to(dtype)
    return Training(model, seed + 1)


# ---------------------------------------------------------------------------------------------------------------
# Java layout <-> torch modules

def java_name(torch_name):
    """The Java/transcription name of a parameter or buffer of StyleVideoGAN, or None (num_batches_tracked).

    generator.hallucinator.fc{j}/bn.*, generator.mapper.* keep their names (the nn.Sequential entries are named so);
    generator.producer.{j}.* -> generator.producer.gru{j}.* (nn.GRU's weight_ih_l{j} likewise);
    critic.extractor.fc{j}.* -> critic.fc{j}.*, critic.temporal.conv{j}.* -> critic.conv{j}.*;
    generator_ema.* -> ema.*; data_mean, data_scale, gap_mean, gap_var -> stats.*."""
    if torch_name.endswith("num_batches_tracked"):
        return None
    if torch_name in ("data_mean", "data_scale", "gap_mean", "gap_var"):
        return "stats." + torch_name
    n = re.sub(r"^generator_ema\.", "ema.", torch_name)
    n = re.sub(r"\.producer\.(\d+)\.", r".producer.gru\1.", n)
    n = re.sub(r"\.producer\.(weight|bias)_(ih|hh)_l(\d+)$", r".producer.gru\3.\1_\2", n)
    return n.replace("critic.extractor.", "critic.").replace("critic.temporal.", "critic.")


def _owner(model, torch_name):
    return model.get_submodule(torch_name.rsplit(".", 1)[0]) if "." in torch_name else model


def java_to_torch(module, leaf, a):
    """A Java-layout array for tensor `leaf` of `module` in torch's layout.

    nn.Linear.weight [out, in] = Java [in, out] transposed; nn.GRUCell / nn.GRU weight_ih, weight_hh [3H, in] = Java
    [in, 3H] transposed (gate order r, z, n in both); nn.Conv1d.weight [C_out, C_in, k]: Java [k*C_in, C_out] holds
    weight[o, c, j] at row j*C_in + c (channels-last im2col), so reshape to [k, C_in, C_out] and permute (2, 1, 0).
    Biases, batch-norm tensors and statistics are the same vectors."""
    if leaf.startswith("weight") and isinstance(module, (nn.Linear, nn.GRUCell, nn.GRU)):
        return a.t()
    if leaf == "weight" and isinstance(module, nn.Conv1d):
        c_out, c_in, k = module.weight.shape
        return a.reshape(k, c_in, c_out).permute(2, 1, 0)
    return a


def torch_to_java(module, leaf, t):
    """The inverse of java_to_torch (e.g. to compare gradients in the Java layout)."""
    if leaf.startswith("weight") and isinstance(module, (nn.Linear, nn.GRUCell, nn.GRU)):
        return t.t()
    if leaf == "weight" and isinstance(module, nn.Conv1d):
        c_out, c_in, k = t.shape
        return t.permute(2, 1, 0).reshape(k * c_in, c_out)
    return t


@torch.no_grad()
def load_java_state(model, arrays, strict=True):
    """Copies Java-layout tensors (name -> tensor/array, e.g. a Java-saved NPZ) into the model's parameters and buffers."""
    missing = []
    for name, t in list(model.named_parameters()) + list(model.named_buffers()):
        jn = java_name(name)
        if jn is None:
            continue
        if jn not in arrays:
            missing.append(jn)
            continue
        a = torch.as_tensor(arrays[jn]).to(t.dtype)
        t.copy_(java_to_torch(_owner(model, name), name.rsplit(".", 1)[-1], a).reshape(t.shape))
    if strict and missing:
        raise KeyError(f"not in the Java state: {missing[:5]}{' ...' if len(missing) > 5 else ''}")
    return missing


if __name__ == "__main__":
    # smoke: a few steps of a tiny model
    import time
    tr = build("small", batch=4, window_length=10, layers=2, width=8, hallucinator_width=8, mapper_width=8,
               critic_width=8, critic_features=4, critic_channels=4, latent=4, hidden=4)
    c = tr.model.config
    real = torch.randn(c.batch, c.window_length, c.layers, c.width)
    tr.model.fit_normalization(real)
    t0 = time.time()
    for _ in range(3):
        lc = tr.critic_step(real)
        lg = tr.generator_step()
    x = tr.sample(50)
    print("3 critic + 3 generator steps of a tiny model: %.3f s; last losses %.4f, %.4f; sample %s"
          % (time.time() - t0, lc, lg, tuple(x.shape)))
