"""StyleVideoGAN (seed 002) written the way a PyTorch user writes it: the idiomatic PyTorch baseline of the
benchmarks (issue #20).

``stylevideogan.py`` next to this file is a *transcription* of the Java model (weights kept in Java's ``[in, out]``
layout, a GRU step written out from its equations, a channels-last im2col convolution); it exists to check the Java
gradients and stays as the numerical cross-check. This file is a second, independent implementation of the same
architecture and losses from ``torch.nn`` building blocks:

  generator  G(i, s): i [B, latent], s [B, t-1, latent] -> standardised codes [B, t, features], latents [B, t, hidden]
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
  critic     C(x): x [B, t, features] -> [B]: nn.Sequential of 6 x (nn.Linear + nn.LeakyReLU) per frame (nn.Linear acts
             on the last dim), transpose to channels-first [B, C, t], nn.Conv1d(k 4, s 2, p 1) + nn.LeakyReLU while the
             length is > 4 (channels doubling), then one nn.Conv1d whose kernel spans the remaining frames.
  losses     critic:    mean C(fake) - mean C(real) + lambda_gp * mean((|grad C(x_hat)| - 1)^2), x_hat = lerp(fake, real,
                        eps), the gradient from torch.autograd.grad(create_graph=True); fakes in train mode, no grad.
             generator: -mean C(G(i, s)) + lambda_gap * mean(relu(pi/4 - phi)^2), phi = atan(|dd/ds| / |dd/di|) per
                        window, d = sum_b |(l_{t-1} - l_0 - mu) / sigma|, mu/sigma^2 running statistics (momentum 0.1)
                        updated before use; gradients by torch.autograd.grad(create_graph=True).
  training   torch.optim.Adam (betas (0, 0.9), eps 1e-8) per network; the critic's requires_grad is switched off for
             the generator step; the EMA generator is a no_grad lerp of the weights with buffers copied (StyleGAN2-ADA's
             rule, as Java); before sampling its batch-norm statistics are re-estimated from 128 windows (what
             torch.optim.swa_utils.update_bn does; written out because G takes two inputs).

laptop() (the quickstart's recipe, StyleVideoGanConfig.laptop()) adds, each switched by its Config field:
  motion_components k   the networks read and write the first k principal components of the training frames, each
                        divided by its standard deviation (at least a tenth of the first's): standardize() is
                        ((x - mean) @ basis.T) / basis_scale, fitted by fit_normalization (torch.linalg.svd, or
                        torch.svd_lowrank for many frames);
  critic_differences    the critic's extractor reads each frame and, beside it, its change from the previous frame
                        (zero for the first) times a whitening of the data's changes (ZCA from torch.linalg.eigh, floor
                        1 % of the largest RMS change; fit_change_whitening); the gradient penalty is taken at those
                        inputs (Critic.inputs), not at the frames;
  spectral_critic       a second critic head: per motion component, the amplitude of the window's Hann-windowed
                        torch.fft.rfft (mean removed, bins 1..t/2), read by a 3-layer MLP whose score is added to D;
  training_horizon H    half the training windows start at frame 0, the others at a uniform frame 1..H-t: the sequence
                        runs there under no_grad and the window resumes from its GRU states (the angle penalty's i is
                        then the state it resumed from); the EMA's batch-norm statistics come from windows spread over H;
  noise_smoothing sigma each noise channel (but the first white_noise fraction) is white noise convolved in time with a
                        Gaussian of width log-spaced from 1 to sigma frames (F.conv1d, groups = channels), unit variance;
  kaiming_init          every nn.Linear and nn.Conv1d starts from nn.init.kaiming_normal_ for LeakyReLU, biases zero;
and lr 0.002, EMA decay 0.95 (plain settings).

Choices where the paper is silent follow the Java class comment of org.latentmotion.motion.StyleVideoGan (+1e-12 inside
each square root of the penalties, PixelNorm eps 1e-8, per-layer W+ standardisation). Not implemented (refused when a
Java config asks for them): gruTimescale, mapperPixelNorm=false, decaySteps -- no preset uses them.

Entry points for the bench:  tr = build("small"); tr.critic_step(real [B, t, L, D]); tr.generator_step();
tr.sample(1500) -> [1500, L, D].  load_java_state() reads a Java-layout state (a Java-saved NPZ or the transcription's
tensors) into the modules; java_checkpoint() writes one that StyleVideoGan.load reads; the mapping is documented there.
"""
import copy
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, fields, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

PIXEL_NORM_EPS = 1e-8
NORM_EPS = 1e-12  # inside each square root of the penalties (Java's choice)
GAP_MOMENTUM = 0.1
WHITENING_FLOOR = 0.1  # motion space: no component is scaled up beyond a tenth of the first's spread
CHANGE_FLOOR = 0.01  # critic differences: no change direction is amplified beyond 1 % of the largest RMS change
AMPLITUDE_EPS = 1e-6  # spectral head: keeps the amplitude's gradient finite at a silent bin
EXACT_SVD_LIMIT = 512  # fit_normalization: a full SVD up to this many frames (or features), svd_lowrank beyond


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
    critic_steps: int = 5
    motion_components: int = 0
    critic_differences: bool = False
    kaiming_init: bool = False
    training_horizon: int = 0
    noise_smoothing: float = 0.0
    white_noise: float = 0.25
    spectral_critic: bool = False

    @property
    def features(self):
        """Numbers per frame the networks read and write: the motion components, or L*D for full W+ codes."""
        return self.motion_components or self.layers * self.width

    @property
    def white_channels(self):
        """With noise_smoothing: how many noise channels (the first ones) stay white."""
        return int(math.floor(self.white_noise * self.latent))

    def extractor_widths(self):
        """criticWidth twice, then geometrically down to criticFeatures (Java's Math.round, i.e. half up)."""
        w, f = self.critic_width, self.critic_features
        return [w, w] + [f if j == 4 else int(math.floor(w * (f / w) ** (j / 4.0) + 0.5)) for j in range(1, 5)]

    # names of StyleVideoGanConfig.toProperties() (Java model files' meta.config)
    _JAVA = dict(batch="batch", windowLength="window_length", layers="layers", width="width", latentDim="latent",
                 hidden="hidden", hallucinatorWidth="hallucinator_width", mapperWidth="mapper_width",
                 criticWidth="critic_width", criticFeatures="critic_features", criticChannels="critic_channels",
                 lrGenerator="lr_generator", lrCritic="lr_critic", beta1="beta1", beta2="beta2", emaDecay="ema_decay",
                 lambdaGp="lambda_gp", lambdaGap="lambda_gap", leakySlope="slope", criticSteps="critic_steps",
                 motionComponents="motion_components", criticDifferences="critic_differences",
                 kaimingInit="kaiming_init", trainingHorizon="training_horizon", noiseSmoothing="noise_smoothing",
                 whiteNoise="white_noise", spectralCritic="spectral_critic")
    # settings of the Java config this implementation does not have: the value it must have here
    _UNSUPPORTED = dict(gruTimescale="0", mapperPixelNorm="true", decaySteps="0")

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
                raise NotImplementedError(f"{k}={kv[k]}: only {k}={want} is implemented here")
        types = {f.name: f.type for f in fields(cls)}
        kw = {}
        for java, py in cls._JAVA.items():
            if java in kv:
                typ = types[py] if isinstance(types[py], type) else {"int": int, "float": float, "bool": bool}[types[py]]
                kw[py] = kv[java].lower() == "true" if typ is bool else typ(float(kv[java]) if typ is int else kv[java])
        return cls(**kw)


PRESETS = {
    # StyleVideoGanConfig.paper(), small() and laptop() (toolkit/org/latentmotion/motion/StyleVideoGanConfig.java)
    "paper": Config(),
    "small": Config(batch=16, hallucinator_width=64, mapper_width=64, critic_width=64, critic_channels=32,
                    ema_decay=0.99, critic_steps=2),
}
PRESETS["laptop"] = replace(PRESETS["small"], motion_components=10, critic_differences=True, kaiming_init=True,
                            lr_generator=0.002, lr_critic=0.002, training_horizon=500, noise_smoothing=25.0,
                            white_noise=0.0, spectral_critic=True, ema_decay=0.95)


def preset(name, **overrides):
    """The Config of a Java preset by name (paper, small, laptop), with fields replaced by keyword."""
    if name not in PRESETS:
        raise ValueError(f"config {name!r}: this implementation has {sorted(PRESETS)}")
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


def kaiming_(module, slope):
    """He/Kaiming normal weights for LeakyReLU (fan in), zero biases, for every nn.Linear and nn.Conv1d in module."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d)):
            nn.init.kaiming_normal_(m.weight, a=slope, nonlinearity="leaky_relu")
            nn.init.zeros_(m.bias)


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

    def initial_states(self, i):
        """The four GRU states a sequence starts from: h0..h2 hallucinated from i, h3 := i."""
        return list(self.hallucinator(i).chunk(3, dim=1)) + [i]

    def recur(self, h, s):
        """States h (4 x [B, hidden]) through noise s [B, n, latent] -> (latents l_0..l_n [B, n+1, hidden] with
        l_0 = h[3], the four final states)."""
        if self.fused_gru:
            if s.shape[1] == 0:
                return h[3].unsqueeze(1), list(h)
            out, last = self.producer(s, torch.stack(h, 0))
            return torch.cat([h[3].unsqueeze(1), out], dim=1), list(last.unbind(0))
        h, ls = list(h), [h[3]]
        for s_k in s.unbind(1):
            x = s_k
            for j, cell in enumerate(self.producer):
                h[j] = x = cell(x, h[j])
            ls.append(x)
        return torch.stack(ls, dim=1), h

    def states_after(self, i, s):
        """The four GRU states after the steps of s [B, n, latent] from i: where a later training window resumes."""
        return self.recur(self.initial_states(i), s)[1]

    def forward(self, i, s, states=None):
        """i [B, latent], s [B, t-1, latent] -> (codes [B, t, features], latents l_0..l_{t-1} [B, t, hidden]); with
        `states` (from states_after) the sequence resumes from them instead of starting from i (l_0 = states[3])."""
        latents, _ = self.recur(self.initial_states(i) if states is None else states, s)
        codes = self.mapper(latents.flatten(0, 1))  # rows by window, then frame
        return codes.view(latents.shape[0], latents.shape[1], -1), latents


class SpectralHead(nn.Module):
    """laptop()'s second critic head (ours, not the paper's): per motion component, the amplitude spectrum of the
    window (mean removed, periodic Hann window, bins 1..t/2, scaled so white noise of unit variance is ~1) read by
    an MLP. A syllable rhythm is a peak at a few hertz; here the bins are inputs of their own."""

    def __init__(self, c: Config):
        super().__init__()
        self.bins = c.window_length // 2
        self.fc0 = nn.Linear(c.features * self.bins, c.critic_width)
        self.fc1 = nn.Linear(c.critic_width, c.critic_width)
        self.out = nn.Linear(c.critic_width, 1)
        self.act = nn.LeakyReLU(c.slope)

    def amplitudes(self, x):
        """x [B, t, F] -> [B, F * bins] (component-major)."""
        w = torch.hann_window(x.shape[1], periodic=True, dtype=x.dtype, device=x.device)
        spectrum = torch.fft.rfft((x - x.mean(1, keepdim=True)) * w[:, None], dim=1)[:, 1:self.bins + 1]
        power = spectrum.real.pow(2) + spectrum.imag.pow(2)
        return torch.sqrt(power / w.pow(2).sum() + AMPLITUDE_EPS).transpose(1, 2).flatten(1)

    def forward(self, x):
        return self.out(self.act(self.fc1(self.act(self.fc0(self.amplitudes(x)))))).flatten()


class Critic(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.features = c.features
        self.differences = c.critic_differences
        self.extractor = nn.Sequential(OrderedDict(
            linear_stack("fc", [c.features * (2 if c.critic_differences else 1)] + c.extractor_widths(), c.slope)))
        convs, length, ch, out, j = [], c.window_length, c.critic_features, c.critic_channels, 0
        while length > 4:
            convs += [(f"conv{j}", nn.Conv1d(ch, out, 4, stride=2, padding=1)), (f"act{j}", nn.LeakyReLU(c.slope))]
            length = (length + 2 - 4) // 2 + 1
            ch, out, j = out, 2 * out, j + 1
        convs.append((f"conv{j}", nn.Conv1d(ch, 1, length)))
        self.temporal = nn.Sequential(OrderedDict(convs))
        self.spectral = SpectralHead(c) if c.spectral_critic else None
        if c.critic_differences:
            self.register_buffer("change_whitening", torch.eye(c.features))

    def inputs(self, x):
        """What the extractor reads, x [B, t, F] -> [B, t, F] or, with differences, [B, t, 2F]: each frame and its
        whitened change from the previous frame (zero for the first). The gradient penalty is taken here."""
        if not self.differences:
            return x
        change = x - torch.cat([x[:, :1], x[:, :-1]], dim=1)
        return torch.cat([x, change @ self.change_whitening], dim=-1)

    def score(self, e):
        """D from inputs(x): [B, t, *] -> [B]; the spectral head reads the frames (the first F columns)."""
        d = self.temporal(self.extractor(e).transpose(1, 2)).flatten()  # channels-first for Conv1d -> [B]
        return d if self.spectral is None else d + self.spectral(e[..., :self.features])

    def forward(self, x):
        """x [B, t, features] -> [B]."""
        return self.score(self.inputs(x))


class StepNoise:
    """Per-step noise s [B, n, latent]: white (the paper), or with noise_smoothing each channel but the first
    white_channels convolved in time with a Gaussian (widths log-spaced 1..sigma frames, taps of unit sum of squares
    so every step stays N(0, 1)); white noise with a margin on both sides, so a sequence is stationary from step 0."""

    def __init__(self, c: Config):
        self.latent = c.latent
        self.kernel = None
        if c.noise_smoothing > 0:
            white, smooth = c.white_channels, c.latent - c.white_channels
            sigmas = [0.0] * white + [c.noise_smoothing ** (j / (smooth - 1)) if smooth > 1 else c.noise_smoothing
                                      for j in range(smooth)]
            self.radius = max(int(math.ceil(3 * s)) for s in sigmas)
            m = torch.arange(-self.radius, self.radius + 1, dtype=torch.float64)
            taps = []
            for s in sigmas:
                g = (m == 0).double() if s == 0 else torch.exp(-0.5 * m ** 2 / s ** 2) * (m.abs() <= math.ceil(3 * s))
                taps.append(g / g.pow(2).sum().sqrt())
            self.kernel = torch.stack(taps).unsqueeze(1)  # [latent, 1, 2R+1] for a grouped conv1d

    def smooth(self, white):
        """White noise with margins [B, latent, n + 2R] -> [B, n, latent]."""
        return F.conv1d(white, self.kernel.to(white.dtype), groups=self.latent).transpose(1, 2)

    def __call__(self, b, steps, generator, dtype):
        if self.kernel is None:
            return torch.randn(b, steps, self.latent, generator=generator, dtype=dtype)
        return self.smooth(torch.randn(b, self.latent, steps + 2 * self.radius, generator=generator, dtype=dtype))


class StyleVideoGAN(nn.Module):
    """Generator, critic, EMA generator and the statistics buffers; the two losses."""

    def __init__(self, c: Config, fused_gru=False):
        super().__init__()
        self.config = c
        self.generator = Generator(c, fused_gru)
        self.critic = Critic(c)
        if c.kaiming_init:
            kaiming_(self.generator, c.slope)
            kaiming_(self.critic, c.slope)
        self.generator_ema = copy.deepcopy(self.generator).requires_grad_(False).eval()
        f = c.layers * c.width
        self.register_buffer("data_mean", torch.zeros(f))
        if c.motion_components:
            self.register_buffer("basis", torch.zeros(c.motion_components, f))
            self.register_buffer("basis_scale", torch.ones(c.motion_components))
        else:
            self.register_buffer("data_scale", torch.ones(f))
        self.register_buffer("gap_mean", torch.zeros(c.hidden))
        self.register_buffer("gap_var", torch.ones(c.hidden))

    # the coordinates the networks work in: per-layer standardised W+ codes, or whitened motion components
    def standardize(self, x):
        """Raw codes [..., L, D] -> [..., features]."""
        x = x.flatten(-2).to(self.data_mean.dtype) - self.data_mean
        if self.config.motion_components:
            return (x @ self.basis.t()) / self.basis_scale
        return x / self.data_scale

    def destandardize(self, codes):
        """[..., features] -> raw codes [..., L, D]."""
        if self.config.motion_components:
            x = (codes * self.basis_scale) @ self.basis + self.data_mean
        else:
            x = codes * self.data_scale + self.data_mean
        return x.unflatten(-1, (self.config.layers, self.config.width))

    @torch.no_grad()
    def fit_normalization(self, frames):
        """From frames [..., L, D]: the mean, and one scale per W+ layer (the RMS of its per-element standard
        deviations) or, in the motion space, the first k principal directions and their standard deviations."""
        c = self.config
        x = frames.reshape(-1, c.layers * c.width).double()
        mean = x.mean(0)
        self.data_mean.copy_(mean)
        if c.motion_components:
            k, xc = c.motion_components, x - mean
            if min(xc.shape) <= EXACT_SVD_LIMIT:
                _, sv, vh = torch.linalg.svd(xc, full_matrices=False)
                basis = vh[:k]
            else:
                _, sv, v = torch.svd_lowrank(xc, q=min(k + 10, *xc.shape), niter=4)
                basis = v[:, :k].t()
            sigma = sv[:k] / math.sqrt(x.shape[0] - 1)
            self.basis.copy_(basis)
            self.basis_scale.copy_(sigma.clamp_min(max(WHITENING_FLOOR * sigma[0].item(), 1e-12)))
            return
        scale = x.unflatten(1, (c.layers, c.width)).var(0, unbiased=False).mean(1).sqrt()
        scale = torch.where(scale > 1e-12, scale, torch.ones_like(scale))
        self.data_scale.copy_(scale.repeat_interleave(c.width))

    @torch.no_grad()
    def fit_change_whitening(self, windows):
        """critic_differences: the inverse square root of the second moment of the data's frame-to-frame changes
        (ZCA) from real windows [B, t, L, D], each direction amplified at most 1 / CHANGE_FLOOR times the largest's."""
        change = self.standardize(windows).double().diff(dim=1).flatten(0, 1)
        values, vectors = torch.linalg.eigh(change.t() @ change / change.shape[0])
        rms = values.clamp_min(0).sqrt()
        gains = 1 / rms.clamp_min(max(rms.max().item() * CHANGE_FLOOR, 1e-12))
        self.critic.change_whitening.copy_((vectors * gains) @ vectors.t())

    def critic_loss(self, real, i, s, eps, before=None):
        """WGAN-GP: real [B, t, L, D] raw codes, noise i [B, latent], s [B, t-1, latent], eps [B] in [0, 1); `before`
        [B, n, latent]: the noise of the n steps before the window (training horizon), run without recording."""
        with torch.no_grad():  # fakes in train mode: batch statistics (running ones move)
            states = None if before is None else self.generator.states_after(i, before)
            fake, _ = self.generator(i, s, states)
        real = self.standardize(real)
        d_real, d_fake = self.critic(real), self.critic(fake)
        # the penalty's gradient is taken at what the extractor reads (frames and, with differences, whitened changes)
        e_hat = self.critic.inputs(torch.lerp(fake, real, eps.view(-1, 1, 1))).detach().requires_grad_(True)
        grad, = torch.autograd.grad(self.critic.score(e_hat).sum(), e_hat, create_graph=True)
        norms = torch.sqrt(grad.flatten(1).pow(2).sum(1) + NORM_EPS)
        gp = (norms - 1).pow(2).mean()
        loss = d_fake.mean() - d_real.mean() + self.config.lambda_gp * gp
        return dict(loss=loss, wasserstein=(d_real.mean() - d_fake.mean()).detach(), gp=gp.detach(), fake=fake)

    def generator_loss(self, i, s, before=None, update_statistics=True):
        """Adversarial loss + gradient angle penalty; i and s become leaves that require grad. With `before` the
        window resumes from the states after it (no grad), and the state it resumes from takes i's place."""
        states = None
        if before is not None:
            with torch.no_grad():
                states = self.generator.states_after(i, before)
            i = states[3]
        i, s = i.detach().requires_grad_(True), s.detach().requires_grad_(True)
        if states is not None:
            states = states[:3] + [i]
        fake, latents = self.generator(i, s, states)
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
        """Re-estimates the EMA generator's batch-norm statistics from one batch (swa_utils.update_bn's recipe). When s
        runs past one window (a training horizon), the mapper's statistics come from one window per sequence, their
        starts spread evenly over the sequence, as the critic saw them."""
        g, t = self.generator_ema, self.config.window_length
        norms = [m for m in g.modules() if isinstance(m, nn.BatchNorm1d)]
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # cumulative average: after one batch, its statistics
        g.train()
        n, length = i.shape[0], s.shape[1] + 1
        if length == t:
            g(i, s)
        else:
            latents, _ = g.recur(g.initial_states(i), s)
            starts = [w * (length - t) // (n - 1) for w in range(n)]
            g.mapper(torch.stack([latents[w, a:a + t] for w, a in enumerate(starts)]).flatten(0, 1))
        g.eval()
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
        self.step_noise = StepNoise(c)
        self.critic_steps = 0
        self.generator_steps = 0
        self._calibrated_at = -1

    def noise(self, b, length=None, generator=None):
        """i [b, latent] and the noise s [b, length-1, latent] of sequences of `length` frames (default: a window)."""
        c, dt = self.model.config, self.model.data_mean.dtype
        g = self.rng if generator is None else generator
        length = c.window_length if length is None else length
        i = torch.randn(b, c.latent, generator=g, dtype=dt)
        return i, self.step_noise(b, max(length - 1, 0), g, dt)

    def window(self, b):
        """A training window's i, noise before it (None at frame 0) and its own noise: with a training horizon H,
        half the windows start at a uniform frame 1..H-t of their sequence."""
        c = self.model.config
        start = 0
        if c.training_horizon > c.window_length and torch.rand(1, generator=self.rng).item() >= 0.5:
            start = int(torch.randint(1, c.training_horizon - c.window_length + 1, (1,), generator=self.rng))
        i, s = self.noise(b, start + c.window_length)
        return i, (s[:, :start] if start else None), s[:, start:]

    def critic_step(self, real):
        m = self.model
        m.generator.train()
        set_requires_grad(m.critic, True)
        b = real.shape[0]
        i, before, s = self.window(b)
        eps = torch.rand(b, generator=self.rng, dtype=m.data_mean.dtype)
        loss = m.critic_loss(real, i, s, eps, before)["loss"]
        self.opt_c.zero_grad(set_to_none=True)
        loss.backward()
        value = loss.item()
        if math.isfinite(value):  # Java skips a step whose loss is not finite
            self.opt_c.step()
            self.critic_steps += 1
        return value

    def generator_step(self):
        m = self.model
        m.generator.train()
        set_requires_grad(m.critic, False)  # no weight gradients for the critic in the generator's step
        i, before, s = self.window(m.config.batch)
        loss = m.generator_loss(i, s, before)["loss"]
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
    def calibrate(self):
        """The EMA generator's batch-norm statistics for its current weights, once per set of weights (as Java)."""
        if self._calibrated_at != self.generator_steps:
            c = self.model.config
            i, s = self.noise(self.CALIBRATION_WINDOWS, max(c.window_length, c.training_horizon),
                              torch.Generator().manual_seed(17))
            self.model.calibrate_ema(i, s)
            self._calibrated_at = self.generator_steps

    @torch.no_grad()
    def sample(self, length, seed=None):
        """A trajectory [length, L, D] (raw W+ codes) from the EMA generator in evaluation mode."""
        m = self.model
        self.calibrate()
        if seed is not None:
            self.rng.manual_seed(seed)
        i, s = self.noise(1, length)
        m.generator_ema.eval()
        codes, _ = m.generator_ema(i, s)
        return m.destandardize(codes[0])


def build(name, dtype=torch.float32, seed=0, fused_gru=False, **overrides):
    """A Training of a fresh model (PyTorch's default initialisation, or Kaiming's) of a preset (paper, small, laptop)."""
    torch.manual_seed(seed)
    model = StyleVideoGAN(preset(name, **overrides), fused_gru=fused_gru).to(dtype)
    return Training(model, seed + 1)


# ---------------------------------------------------------------------------------------------------------------
# Java layout <-> torch modules

STATS = ("data_mean", "data_scale", "basis", "basis_scale", "gap_mean", "gap_var")


def java_name(torch_name):
    """The Java/transcription name of a parameter or buffer of StyleVideoGAN, or None (num_batches_tracked).

    generator.hallucinator.fc{j}/bn.*, generator.mapper.* keep their names (the nn.Sequential entries are named so);
    generator.producer.{j}.* -> generator.producer.gru{j}.* (nn.GRU's weight_ih_l{j} likewise);
    critic.extractor.fc{j}.* -> critic.fc{j}.*, critic.temporal.conv{j}.* -> critic.conv{j}.*, critic.spectral.* as
    it is; generator_ema.* -> ema.*; data_mean, data_scale, basis, basis_scale, gap_mean, gap_var and the critic's
    change_whitening -> stats.*."""
    if torch_name.endswith("num_batches_tracked"):
        return None
    if torch_name in STATS:
        return "stats." + torch_name
    if torch_name == "critic.change_whitening":
        return "stats.change_whitening"
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
    Biases, batch-norm tensors and statistics are the same vectors (change_whitening is symmetric)."""
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


@torch.no_grad()
def java_checkpoint(tr, properties, source=""):
    """Everything StyleVideoGan.save writes, from a Training, as name -> numpy array (np.savez it; Java's
    StyleVideoGan.load reads it): weights, batch-norm and data statistics in the Java layout, both Adam states
    (adam_g.m.<generator name>, adam_c.v.critic.<name>, ...: torch's exp_avg / exp_avg_sq, the Java layout), meta.config
    (`properties`, the Java config's toProperties() text the model was built from), meta.steps, meta.source."""
    m = tr.model
    dt = np.float64 if re.search(r"^float64\s*=\s*true", properties, re.M) else np.float32
    def array(name, t):
        return torch_to_java(_owner(m, name), name.rsplit(".", 1)[-1], t.detach()).cpu().numpy().astype(dt)
    out = {}
    for name, t in list(m.named_parameters()) + list(m.named_buffers()):
        if java_name(name) is not None:
            out[java_name(name)] = array(name, t)
    out["stats.data_fitted"] = np.ones(1, dt)  # Java's flags: the statistics were fitted (here: before training)
    if m.config.critic_differences:
        out["stats.change_fitted"] = np.ones(1, dt)
    for prefix, opt, part in (("adam_g.", tr.opt_g, "generator."), ("adam_c.", tr.opt_c, "critic.")):
        step = 0
        for name, p in m.named_parameters():
            if not name.startswith(part):
                continue
            jn = java_name(name)[len("generator."):] if part == "generator." else java_name(name)
            state = opt.state.get(p, {})
            for key, torch_key in (("m.", "exp_avg"), ("v.", "exp_avg_sq")):
                out[prefix + key + jn] = array(name, state[torch_key]) if torch_key in state \
                    else np.zeros(out[java_name(name)].shape, dt)
            step = max(step, int(state["step"])) if "step" in state else step
        out[prefix + "step"] = np.array([step], np.int64)
    out["meta.config"] = np.frombuffer(properties.encode("utf-8"), np.uint8).copy()
    out["meta.steps"] = np.array([tr.critic_steps, tr.generator_steps], np.int64)
    out["meta.source"] = np.frombuffer(source.encode("utf-8"), np.uint8).copy()
    return out


if __name__ == "__main__":
    # smoke: a few steps of tiny models
    import time
    for name, kw in (("small", {}), ("laptop", dict(motion_components=3, training_horizon=30, noise_smoothing=4.0))):
        tr = build(name, batch=4, window_length=10, layers=2, width=8, hallucinator_width=8, mapper_width=8,
                   critic_width=8, critic_features=4, critic_channels=4, latent=4, hidden=4, **kw)
        c = tr.model.config
        real = torch.randn(c.batch, c.window_length, c.layers, c.width)
        tr.model.fit_normalization(real)
        if c.critic_differences:
            tr.model.fit_change_whitening(real)
        t0 = time.time()
        for _ in range(3):
            lc = tr.critic_step(real)
            lg = tr.generator_step()
        x = tr.sample(50)
        print("%s: 3 critic + 3 generator steps of a tiny model: %.3f s; last losses %.4f, %.4f; sample %s"
              % (name, time.time() - t0, lc, lg, tuple(x.shape)))
