"""StyleGAN-V on W+ codes, written the way a PyTorch user writes it: the second implementation that
org.latentmotion.motion.styleganv.StyleGanV is checked against (StyleGanVTorchReferenceTest).

The model (see the Java class comments for the paper's facts and the W+ adaptation), on whitened principal
coordinates [.., k] of W+ frames:

  motion mapping  u = LReLU(Conv1d(U, U, K)(LReLU(Conv1d(U, U, K)(z))))   (no padding, codes every DELTA frames)
                  for t: l = floor(t / DELTA), alpha = t / DELTA - l, u_l, u_r = u[l - first], u[l + 1 - first]
                  p = tanh(periods(u_l)) + 1; phi = phases(u_l) * rho; e(tau) = [sin, cos](omega * p * tau + phi)
                  v(t) = e(t) - ((1 - alpha) e(l DELTA) + alpha e((l + 1) DELTA)) + (1 - alpha) aligners(u_l)
                         + alpha aligners(u_r)          (periods, phases, aligners: nn.Linear without bias)
  frame generator g = MLP(cat(x0, v)); a clip with the anchor at times[0]: x0 + g(v(times[i])) - g(v(times[0]))
  critic          D = <out(joint(cat_i frame(x_i))), mapping(cat_j [Embedding(gap_j - 1), sin, cos(2 pi gap_j / P)])>
                  / sqrt(H), P = 2, 4, ...
  losses          critic: mean softplus(D(fake)) + mean softplus(-D(real)) + gamma / 2 * sum |dD(real)/dreal|^2 / B
                  generator: mean softplus(-D(fake))

make_fixture() draws a small model's weights (torch's default inits), inputs, computes both losses, R1 alone and
their gradients in float64 and writes them with the Java-layout parameter names to
src/test/resources/motion/styleganv/reference.npz.
Run offline with Debian's torch:  /usr/bin/python3 bench/torch/styleganv.py
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURE = os.path.join(ROOT, "src", "test", "resources", "motion", "styleganv", "reference.npz")

# StyleGanVGradientTest.tiny64()
B, T, K_PCA, U, KER, DELTA, FEAT, MAX_PERIOD = 3, 8, 3, 3, 2, 4, 2, 32.0
GEN_H, CRIT_H, EMB, N, MAX_GAP, MAX_OFFSET, SLOPE, GAMMA = 5, 4, 2, 3, 6, 20.0, 0.2, 0.2


def mlp(*sizes, activate_last=False):
    layers = []
    for j in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[j], sizes[j + 1]))
        if j < len(sizes) - 2 or activate_last:
            layers.append(nn.LeakyReLU(SLOPE))
    return nn.Sequential(*layers)


class MotionMapping(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(U, U, KER), nn.LeakyReLU(SLOPE), nn.Conv1d(U, U, KER), nn.LeakyReLU(SLOPE))
        self.periods = nn.Linear(U, FEAT, bias=False)
        self.phases = nn.Linear(U, FEAT, bias=False)
        self.aligners = nn.Linear(U, 2 * FEAT, bias=False)
        lengths = 2 ** np.linspace(math.log2(MAX_PERIOD), math.log2(DELTA), FEAT)  # longest period first
        self.register_buffer("freqs", torch.tensor(2 * np.pi / lengths))
        self.register_buffer("rho", torch.tensor(MAX_PERIOD / lengths))

    def embed(self, scaled_freq, phase, tau):
        raw = scaled_freq * tau[:, :, None] + phase
        return torch.cat([raw.sin(), raw.cos()], -1)

    def forward(self, codes, first, times):
        u = self.conv(codes.transpose(1, 2)).transpose(1, 2)  # [B, nU, U]
        left = torch.floor(times / DELTA)
        local = left.long() - first[:, None]
        rows = torch.arange(codes.shape[0])[:, None]
        u_l, u_r = u[rows, local], u[rows, local + 1]
        alpha = (times - left * DELTA)[:, :, None] / DELTA
        scaled = (torch.tanh(self.periods(u_l)) + 1) * self.freqs
        phase = self.phases(u_l) * self.rho
        e = self.embed(scaled, phase, times)
        remove = (1 - alpha) * self.embed(scaled, phase, left * DELTA) + alpha * self.embed(scaled, phase, (left + 1) * DELTA)
        return e - remove + (1 - alpha) * self.aligners(u_l) + alpha * self.aligners(u_r)  # [B, m, 2F]


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.motion = MotionMapping()
        self.synthesis = mlp(K_PCA + 2 * FEAT, GEN_H, GEN_H, K_PCA)

    def forward(self, content, codes, first, times):
        v = self.motion(codes, first, times)
        g = self.synthesis(torch.cat([content[:, None].expand(-1, v.shape[1], -1), v], -1))
        return content[:, None] + g[:, 1:] - g[:, :1]


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.frame = mlp(K_PCA, CRIT_H, CRIT_H, activate_last=True)
        self.joint = mlp(N * CRIT_H, CRIT_H, activate_last=True)
        self.out = nn.Linear(CRIT_H, CRIT_H)
        self.gap_table = nn.Embedding(MAX_GAP, EMB)
        self.periods = [2.0 ** (j + 1) for j in range(math.ceil(math.log2(MAX_GAP)) + 1)]
        self.mapping = mlp((N - 1) * (EMB + 2 * len(self.periods)), CRIT_H, CRIT_H)

    def forward(self, clips, gaps):
        h = self.out(self.joint(self.frame(clips).flatten(1)))
        angles = 2 * math.pi * gaps[:, :, None].double() / torch.tensor(self.periods)
        e = torch.cat([self.gap_table(gaps - 1), angles.sin(), angles.cos()], -1)
        c = self.mapping(e.flatten(1))
        return (h * c).sum(1) / math.sqrt(CRIT_H)


def critic_terms(gen, critic, real, content, codes, first, times, gaps):
    with torch.no_grad():
        fake = gen(content, codes, first, times)
    real = real.clone().requires_grad_(True)
    d_real, d_fake = critic(real, gaps), critic(fake, gaps)
    g, = torch.autograd.grad(d_real.sum(), real, create_graph=True)
    r1 = (g ** 2).sum() / real.shape[0]
    return F.softplus(d_fake).mean() + F.softplus(-d_real).mean() + GAMMA / 2 * r1, r1


def generator_loss(gen, critic, content, codes, first, times, gaps):
    return F.softplus(-critic(gen(content, codes, first, times), gaps)).mean()


def java_name(prefix, name):
    parts = name.split(".")
    if parts[0] in ("synthesis", "frame", "joint", "mapping"):
        return "%s%s.fc%d.%s" % (prefix, parts[0], int(parts[1]) // 2, parts[2])
    if parts[0] == "gap_table":
        return prefix + "gap_table"
    if parts[0] == "motion" and parts[1] == "conv":
        return "%smotion.conv%d.%s" % (prefix, int(parts[2]) // 2, parts[3])
    return prefix + name


def java_layout(v, name):
    """Linear [in, out], Conv1d [k * C_in, C_out]; the embedding table keeps its [gaps, e]."""
    v = v.detach()
    if v.dim() == 3:
        v = v.permute(2, 1, 0).reshape(-1, v.shape[0])
    elif v.dim() == 2 and "gap_table" not in name:
        v = v.t()
    return v.contiguous()


def make_fixture(seed=13):
    torch.manual_seed(seed)
    torch.set_default_dtype(torch.float64)
    gen, critic = Generator(), Critic()
    g = torch.Generator().manual_seed(seed + 1)
    real = torch.randn(B, N, K_PCA, generator=g)
    content = torch.randn(B, K_PCA, generator=g)
    codes = torch.randn(B, (T - 1) // DELTA + 3 + 2 * (KER - 1), U, generator=g)
    frames = torch.stack([torch.sort(torch.randperm(MAX_GAP + 1, generator=g)[:N]).values for _ in range(B)])
    tau = torch.rand(B, generator=g) * MAX_OFFSET
    first = torch.floor(tau / DELTA).long()
    times = torch.cat([tau[:, None], tau[:, None] + frames.double()], 1)
    gaps = frames[:, 1:] - frames[:, :-1]

    critic_loss, r1 = critic_terms(gen, critic, real, content, codes, first, times, gaps)
    gen_loss = generator_loss(gen, critic, content, codes, first, times, gaps)

    out = {}
    for prefix, m in (("generator.", gen), ("critic.", critic)):
        for name, p in m.named_parameters():
            out[java_name(prefix, name)] = java_layout(p, name)
    inputs = dict(real=real, content=content, codes=codes, first=first.double(), times=times.reshape(-1),
                  frames=frames.reshape(-1).double(), gaps=gaps.reshape(-1).double())
    for k, v in inputs.items():
        out["input." + k] = v
    for k, v in dict(critic=critic_loss, r1=r1, generator=gen_loss).items():
        out["value." + k] = v.detach().reshape(1)
    for lname, loss, prefix, m in (("critic", critic_loss, "critic.", critic), ("r1", r1, "critic.", critic),
                                   ("generator", gen_loss, "generator.", gen)):
        params = list(m.named_parameters())
        gs = torch.autograd.grad(loss, [p for _, p in params], retain_graph=True, allow_unused=True)
        for (name, p), gr in zip(params, gs):
            gr = torch.zeros_like(p) if gr is None else gr
            out["grad.%s.%s" % (lname, java_name(prefix, name))] = java_layout(gr, name)
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    np.savez(FIXTURE, **{k: np.asarray(v.numpy() if torch.is_tensor(v) else v, dtype=np.float64) for k, v in out.items()})
    print("wrote %s: %d arrays; critic %.6f (R1 %.6f), generator %.6f" % (FIXTURE, len(out), critic_loss, r1, gen_loss))


if __name__ == "__main__":
    torch.set_num_threads(1)
    make_fixture()
