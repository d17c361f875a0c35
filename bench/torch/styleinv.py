"""StyleInV on W+ codes, written the way a PyTorch user writes it: the second implementation that
org.latentmotion.motion.styleinv.StyleInV is checked against (StyleInVTorchReferenceTest).

The model (see the Java class comments for the paper's facts and the W+ adaptation), on whitened principal
coordinates of W+ frames, for clips of n frames at times t (t_0 = 0), motion codes z [B, J, m], phases phi [B, F]:

  temporal style  u_j = LReLU(motion(a_j)), a_0 = motion_const, a_j = z_j (j >= 1);  l = t // D, a = (t mod D) / D
                  pe(t) = [sin(w t + phi), cos(w t + phi)], w_f = 2 pi / P_f, P_f geometric in [minPeriod, maxPeriod]
                  e_t = pe(t) - ((1 - a) pe(l D) + a pe((l + 1) D)) + align((1 - a) u_l + a u_{l+1})   (align: no bias)
                  s_t = fuse(cat(e_t, x0)),  fuse = Linear(2F + k, S) LReLU Linear(S, S)
  encoder         h = LReLU(input(x0));  h = LReLU((1 + gamma_j(s)) * layer_norm(block_j(h)) + beta_j(s));
                  g = output(h);  x_t = x0 + (g_t - g_0)
  critic          D = Linear LReLU Linear LReLU Linear over cat(x flattened, [sin(w d), cos(w d)] per gap d)
  losses          critic 0.5 mean((D_r - 1)^2) + 0.5 mean(D_f^2) + gamma/2 mean(|dD_r/dx_r|^2)
                  generator 0.5 mean((D_f - 1)^2) + lambda_w mean(sqrt(|x_t - x_0|^2 + 1e-12)) over t >= 1

make_fixture() draws a small model's weights (torch's default inits), inputs, computes every loss and its gradients in
float64 and writes them with the Java-layout parameter names to src/test/resources/motion/styleinv/reference.npz.
Run offline with Debian's torch:  /usr/bin/python3 bench/torch/styleinv.py
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURE = os.path.join(ROOT, "src", "test", "resources", "motion", "styleinv", "reference.npz")

# StyleInVGradientTest.tiny64()
B, K, H, BLOCKS, S, M, DELTA, FREQ, MIN_P, MAX_P, SPARSE, MAX_SPAN, C = 3, 3, 5, 2, 4, 3, 3, 2, 2.0, 8.0, 3, 8, 4
SLOPE, R1_GAMMA, LAMBDA_W, NORM_EPS, LN_EPS = 0.2, 1.0, 0.05, 1e-12, 1e-5
N = SPARSE + 1
J = MAX_SPAN // DELTA + 2


def omegas():
    frac = torch.arange(FREQ, dtype=torch.float64) / max(FREQ - 1, 1)
    periods = torch.exp(math.log(MIN_P) + frac * (math.log(MAX_P) - math.log(MIN_P)))
    return 2 * math.pi / periods


class TemporalStyle(nn.Module):
    def __init__(self):
        super().__init__()
        self.motion_const = nn.Parameter(torch.randn(M))
        self.motion = nn.Linear(M, M)
        self.align = nn.Linear(M, 2 * FREQ, bias=False)
        self.fuse = nn.Sequential(nn.Linear(2 * FREQ + K, S), nn.LeakyReLU(SLOPE), nn.Linear(S, S))
        self.register_buffer("w", omegas())

    def pe(self, t, phases):
        angle = self.w * t.unsqueeze(-1) + phases.unsqueeze(1)
        return torch.cat([torch.sin(angle), torch.cos(angle)], -1)

    def forward(self, x0, times, z, phases):
        b, n = times.shape
        codes = torch.cat([self.motion_const.expand(b, 1, M), z[:, 1:]], 1)
        u = F.leaky_relu(self.motion(codes), SLOPE)
        left = torch.div(times, DELTA, rounding_mode="floor")
        a = ((times - left * DELTA).double() / DELTA).unsqueeze(-1)
        u_left = torch.gather(u, 1, left.unsqueeze(-1).expand(b, n, M))
        u_right = torch.gather(u, 1, (left + 1).unsqueeze(-1).expand(b, n, M))
        t = times.double()
        residual = self.pe(t, phases) - ((1 - a) * self.pe(left.double() * DELTA, phases)
                                         + a * self.pe((left + 1).double() * DELTA, phases))
        embedding = residual + self.align((1 - a) * u_left + a * u_right)
        content = x0.unsqueeze(1).expand(b, n, K)
        return self.fuse(torch.cat([embedding, content], -1))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.input = nn.Linear(K, H)
        self.blocks = nn.ModuleList([nn.Linear(H, H) for _ in range(BLOCKS)])
        self.gammas = nn.ModuleList([nn.Linear(S, H) for _ in range(BLOCKS)])
        self.betas = nn.ModuleList([nn.Linear(S, H) for _ in range(BLOCKS)])
        self.output = nn.Linear(H, K)  # the Java model starts it at zero; random here so every layer has a gradient

    def forward(self, x0, styles):
        b, n, _ = styles.shape
        h = F.leaky_relu(self.input(x0), SLOPE).unsqueeze(1).expand(b, n, H)
        for block, gamma, beta in zip(self.blocks, self.gammas, self.betas):
            y = F.layer_norm(block(h), (H,), eps=LN_EPS)
            h = F.leaky_relu((1 + gamma(styles)) * y + beta(styles), SLOPE)
        g = self.output(h)
        return x0.unsqueeze(1) + (g - g[:, :1])


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(N * K + 2 * FREQ * (N - 1), C), nn.LeakyReLU(SLOPE), nn.Linear(C, C),
                                 nn.LeakyReLU(SLOPE), nn.Linear(C, 1))
        self.register_buffer("w", omegas())

    def forward(self, x, times):
        b = x.shape[0]
        gaps = (times[:, 1:] - times[:, :-1]).double().unsqueeze(-1) * self.w
        features = torch.cat([torch.sin(gaps), torch.cos(gaps)], -1).reshape(b, -1)
        return self.net(torch.cat([x.reshape(b, -1), features], 1)).squeeze(1)


def critic_loss(critic, real, fake, times):
    real = real.detach().requires_grad_(True)
    d_real = critic(real, times)
    d_fake = critic(fake.detach(), times)
    adversarial = 0.5 * (((d_real - 1) ** 2).mean() + (d_fake ** 2).mean())
    (grad,) = torch.autograd.grad(d_real.sum(), real, create_graph=True)
    r1 = grad.square().sum(dim=(1, 2)).mean()
    return adversarial + R1_GAMMA / 2 * r1, r1


def generator_loss(style, encoder, critic, x0, times, z, phases):
    x = encoder(x0, style(x0, times, z, phases))
    adversarial = 0.5 * ((critic(x, times) - 1) ** 2).mean()
    moved = x[:, 1:] - x[:, :1]
    latent = torch.sqrt(moved.square().sum(-1) + NORM_EPS).mean()
    return adversarial + LAMBDA_W * latent, latent, x


def java_names(style, encoder, critic):
    """Java name -> (torch parameter, transpose?): Java's Linear stores [in, out], nn.Linear [out, in]."""
    out = {"generator.style.motion_const": (style.motion_const, False),
           "generator.style.align": (style.align.weight, True)}

    def linear(name, module):
        out[name + ".weight"] = (module.weight, True)
        out[name + ".bias"] = (module.bias, False)

    linear("generator.style.motion", style.motion)
    linear("generator.style.fuse0", style.fuse[0])
    linear("generator.style.fuse1", style.fuse[2])
    linear("generator.encoder.input", encoder.input)
    for j in range(BLOCKS):
        linear("generator.encoder.block%d" % j, encoder.blocks[j])
        linear("generator.encoder.gamma%d" % j, encoder.gammas[j])
        linear("generator.encoder.beta%d" % j, encoder.betas[j])
    linear("generator.encoder.output", encoder.output)
    for j, idx in enumerate([0, 2, 4]):
        linear("critic.fc%d" % j, critic.net[idx])
    return out


def make_fixture():
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float64)
    style, encoder, critic = TemporalStyle(), Encoder(), Critic()
    gen = torch.Generator().manual_seed(1)
    times = torch.stack([torch.cat([torch.zeros(1, dtype=torch.long),
                                    torch.sort(torch.randperm(MAX_SPAN, generator=gen)[:SPARSE] + 1).values])
                         for _ in range(B)])
    times[0] = torch.tensor([0, 3, 6, 8])  # two anchors hit exactly (α = 0) and the last time the draw allows
    z = torch.randn(B, J, M, generator=gen)
    phases = 2 * math.pi * torch.rand(B, FREQ, generator=gen)
    x0 = torch.randn(B, K, generator=gen)
    real = torch.randn(B, N, K, generator=gen)
    fake = 0.5 * torch.randn(B, N, K, generator=gen)

    names = java_names(style, encoder, critic)
    out = {}
    for name, (p, transpose) in names.items():
        out[name] = (p.detach().t() if transpose else p.detach()).numpy().copy()
    out.update({"input.times": times.double().numpy(), "input.z": z.numpy(), "input.phases": phases.numpy(),
                "input.x0": x0.numpy(), "input.real": real.numpy(), "input.fake": fake.numpy()})

    def record(loss_name, value, prefix):
        params = [(n, p, tr) for n, (p, tr) in names.items() if n.startswith(prefix)]
        grads = torch.autograd.grad(value, [p for _, p, _ in params], retain_graph=True, allow_unused=True)
        out["value." + loss_name] = np.array([value.item()])
        for (n, p, tr), g in zip(params, grads):
            g = torch.zeros_like(p) if g is None else g
            out["grad.%s.%s" % (loss_name, n)] = (g.t() if tr else g).detach().numpy().copy()

    c_loss, r1 = critic_loss(critic, real, fake, times)
    record("critic", c_loss, "critic.")
    record("r1", r1, "critic.")
    g_loss, latent, frames = generator_loss(style, encoder, critic, x0, times, z, phases)
    out["value.frames"] = frames.detach().numpy().copy()
    record("generator", g_loss, "generator.")
    record("latent", latent, "generator.")
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    np.savez(FIXTURE, **out)
    print("wrote %s: %d arrays; critic %.8f, r1 %.8f, generator %.8f, latent %.8f"
          % (FIXTURE, len(out), c_loss.item(), r1.item(), g_loss.item(), latent.item()))


if __name__ == "__main__":
    make_fixture()
