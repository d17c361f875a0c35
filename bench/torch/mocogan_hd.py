"""MoCoGAN-HD on W+ codes, written the way a PyTorch user writes it: the second implementation that
org.latentmotion.motion.mocogan.MoCoGanHd is checked against (MoCoGanHdTorchReferenceTest).

The model (see the Java class comments for the paper's facts and the W+ adaptation):

  generator  x0 [B, k] (whitened principal coordinates of the content frame), eps [B, T-1, noise] ->
             (h0, c0) = nn.LSTMCell(k, H)(x0); (h_t, c_t) = nn.LSTMCell(noise, H)(eps_t, (h_{t-1}, c_{t-1}));
             x_t = x_{t-1} + alpha * tanh(h_t @ w + b) * (sigma / scale);
             eps_hat_t = fc2(relu(fc1(cat(h_t, c_t))))
  critic     pairs [B, T-1, 2k] = (x_0, x_t); per scale a 1-D PatchGAN over time, channels first:
             Conv1d(2k, C, 4, 2, 2) LReLU, Conv1d(C, 2C, 4, 2, 2) IN LReLU, Conv1d(2C, 4C, 4, 2, 2) IN LReLU,
             Conv1d(4C, 8C, 4, 1, 2) IN LReLU, Conv1d(8C, 1, 4, 1, 2); scale s > 0 reads the previous scale's input
             through F.avg_pool1d(3, stride 1 (<= 16 frames) or 2, padding 1, count_include_pad=False)
  losses     relativistic average LSGAN summed over scales, x 1/2; critic + lambda_gp * mean over scales of
             mean((|dD/dx_hat| over channels - 1)^2); generator + lambda_mi * -mean(cosine_similarity(eps_hat, eps))

make_fixture() draws a small model's weights (torch's default inits), inputs and the Java-layout parameter names,
computes both losses and their gradients in float64, and writes src/test/resources/motion/mocogan/reference.npz.
Run offline with Debian's torch:  /usr/bin/python3 bench/torch/mocogan_hd.py
"""
import os
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURE = os.path.join(ROOT, "src", "test", "resources", "motion", "mocogan", "reference.npz")
NORM_EPS = 1e-12  # inside the square root of the penalty's norm (Java's choice)


@dataclass(frozen=True)
class Config:
    """The settings of MoCoGanHdConfig that the networks and losses use."""
    batch: int = 3
    window_length: int = 19
    layers: int = 2
    width: int = 4
    components: int = 3
    noise_dim: int = 4
    hidden: int = 5
    alpha: float = 0.5
    critic_channels: int = 2
    critic_scales: int = 2
    critic_instance_norm: bool = True
    lambda_gp: float = 10.0
    lambda_mutual: float = 1.0
    leaky_slope: float = 0.2

    def java_properties(self, seed):
        """MoCoGanHdConfig.toProperties() of the same model (settings the check does not use at their defaults)."""
        values = dict(batch=self.batch, windowLength=self.window_length, layers=self.layers, width=self.width,
                      components=self.components, noiseDim=self.noise_dim, hidden=self.hidden, alpha=self.alpha,
                      criticChannels=self.critic_channels, criticScales=self.critic_scales,
                      criticInstanceNorm=str(self.critic_instance_norm).lower(), timeFlip="true",
                      lambdaGp=self.lambda_gp, lambdaMutual=self.lambda_mutual, lrGenerator=1e-4, lrCritic=1e-4,
                      beta1=0.5, beta2=0.999, generatorSteps=5, contentBank=4, orthogonalInit="false", epochs=5,
                      seed=seed, leakySlope=self.leaky_slope, fps=25.0, float64="true")
        return "".join("%s=%s\n" % kv for kv in values.items())


class MotionGenerator(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.enc_cell = nn.LSTMCell(c.components, c.hidden)
        self.cell = nn.LSTMCell(c.noise_dim, c.hidden)
        self.w = nn.Parameter(torch.randn(c.hidden, c.components) / c.hidden ** 0.5)
        self.b = nn.Parameter(torch.randn(c.components) / c.hidden ** 0.5)
        self.fc1 = nn.Linear(2 * c.hidden, c.noise_dim)
        self.fc2 = nn.Linear(c.noise_dim, c.noise_dim)

    def forward(self, x0, eps, residual_scale):
        h, cell = self.enc_cell(x0)
        frames, states = [x0], []
        for t in range(eps.shape[1]):
            h, cell = self.cell(eps[:, t], (h, cell))
            frames.append(frames[-1] + self.c.alpha * torch.tanh(h @ self.w + self.b) * residual_scale)
            states.append(torch.cat([h, cell], dim=1))
        sequence = torch.stack(frames, dim=1)
        hc = torch.stack(states, dim=1).reshape(-1, 2 * self.c.hidden)
        reconstruction = self.fc2(F.relu(self.fc1(hc)))
        return sequence, reconstruction


class PatchCritic(nn.Module):
    """One scale: D_3d's layer sequence in 1-D."""

    def __init__(self, c: Config):
        super().__init__()
        layers, cin = [], 2 * c.components
        for j in range(5):
            cout = 1 if j == 4 else min(c.critic_channels << j, 512)
            layers.append(nn.Conv1d(cin, cout, 4, stride=2 if j < 3 else 1, padding=2))
            if j < 4:
                if j > 0 and c.critic_instance_norm:
                    layers.append(nn.InstanceNorm1d(cout, affine=False))
                layers.append(nn.LeakyReLU(c.leaky_slope))
            cin = cout
        self.net = nn.Sequential(*layers)

    def forward(self, x):  # x [B, C, T]
        return self.net(x).flatten(1)


class TemporalCritic(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.scales = nn.ModuleList(PatchCritic(c) for _ in range(c.critic_scales))

    @staticmethod
    def pairs(sequence):  # [B, T, k] -> [B, 2k, T-1], channels first
        first = sequence[:, :1].expand(-1, sequence.shape[1] - 1, -1)
        return torch.cat([first, sequence[:, 1:]], dim=2).transpose(1, 2)

    def forward(self, x):  # x [B, 2k, P] -> list of [B, patches]
        out = []
        for s, net in enumerate(self.scales):
            if s > 0:
                x = F.avg_pool1d(x, 3, stride=2 if x.shape[2] > 16 else 1, padding=1, count_include_pad=False)
            out.append(net(x))
        return out


def ralsgan(a, b, target):
    return ((a - b.mean() - target) ** 2).mean()


def critic_loss(critic, c, real, fake, u, flip_real, flip_fake):
    real_pairs, fake_pairs = critic.pairs(real), critic.pairs(fake)
    d_real = critic(real_pairs.flip(2) if flip_real else real_pairs)
    d_fake = critic(fake_pairs.flip(2) if flip_fake else fake_pairs)
    adversarial = 0.5 * sum(ralsgan(r, f, 1.0) + ralsgan(f, r, 0.0) for r, f in zip(d_real, d_fake))
    x_hat = (fake_pairs + u.view(-1, 1, 1) * (real_pairs - fake_pairs)).detach().requires_grad_(True)
    gp = 0
    for d in critic(x_hat):
        g, = torch.autograd.grad(d.sum(), x_hat, create_graph=True)
        norms = torch.sqrt((g ** 2).sum(dim=1) + NORM_EPS)  # over channels, per time position
        gp = gp + ((norms - 1) ** 2).mean()
    gp = gp / len(d_real)
    return adversarial + c.lambda_gp * gp, adversarial, gp


def generator_loss(generator, critic, c, real, eps, residual_scale, flip_real, flip_fake):
    sequence, reconstruction = generator(real[:, 0], eps, residual_scale)
    real_pairs, fake_pairs = critic.pairs(real), critic.pairs(sequence)
    d_real = critic(real_pairs.flip(2) if flip_real else real_pairs)
    d_fake = critic(fake_pairs.flip(2) if flip_fake else fake_pairs)
    adversarial = 0.5 * sum(ralsgan(f, r, 1.0) + ralsgan(r, f, 0.0) for r, f in zip(d_real, d_fake))
    mutual = -F.cosine_similarity(reconstruction, eps.reshape(-1, c.noise_dim), dim=1).mean()
    return adversarial + c.lambda_mutual * mutual, adversarial, mutual, sequence


def java_name(module_prefix, torch_name):
    """Java's parameter names: Sequential indices -> conv<j>, ModuleList scales -> scale<s>."""
    if module_prefix == "critic.":
        parts = torch_name.split(".")  # scales.<s>.net.<i>.weight
        s, i, leaf = int(parts[1]), int(parts[3]), parts[4]
        return "critic.scale%d.conv%d.%s" % (s, CONV_INDEX[i], leaf)
    return "generator." + torch_name


CONV_INDEX = {}  # Sequential index of each Conv1d -> its conv number, filled by conv_indices()


def conv_indices(critic):
    j = 0
    for i, m in enumerate(critic.scales[0].net):
        if isinstance(m, nn.Conv1d):
            CONV_INDEX[i] = j
            j += 1


def to_java(name, t):
    """Java layouts: Linear/LSTM weights [in, out] (transposes), Conv1d [k*C_in, C_out] with row j*C_in + c = w[o, c, j]."""
    t = t.detach()
    if ".conv" in name and name.endswith("weight"):
        out_ch, in_ch, k = t.shape
        return t.permute(2, 1, 0).reshape(k * in_ch, out_ch)
    if name.endswith("weight") or "weight_ih" in name or "weight_hh" in name:
        return t.t()
    return t


def make_fixture(seed=7):
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    c = Config()
    dt = torch.float64
    generator = MotionGenerator(c).to(dt)
    critic = TemporalCritic(c).to(dt)
    conv_indices(critic)
    f = c.layers * c.width
    k = c.components
    basis, _ = torch.linalg.qr(torch.randn(f, k, dtype=dt))
    sigma = torch.tensor([2.0, 0.5, 0.1], dtype=dt)
    scale = torch.clamp(sigma, min=0.1 * sigma[0])  # the whitening floor: the third direction is floored
    arrays = {
        "stats.data_mean": torch.randn(f, dtype=dt), "stats.basis": basis.t().contiguous(), "stats.sigma": sigma,
        "stats.scale": scale, "stats.basis_fitted": torch.ones(1, dtype=dt),
        "stats.content": torch.randn(4, f, dtype=dt), "stats.content_count": torch.tensor([4.0], dtype=dt),
    }
    for n, p in generator.named_parameters():
        arrays[java_name("generator.", n)] = to_java(n, p)
    for n, p in critic.named_parameters():
        jn = java_name("critic.", n)
        arrays[jn] = to_java(jn, p)
    b, t = c.batch, c.window_length
    real = torch.randn(b, t, k, dtype=dt)
    fake = 0.5 * torch.randn(b, t, k, dtype=dt)
    u = torch.rand(b, dtype=dt)
    eps = torch.randn(b, t - 1, c.noise_dim, dtype=dt)
    residual_scale = sigma / scale
    inputs = {"input.real": real, "input.fake": fake, "input.u": u, "input.noise": eps}

    loss, adversarial, gp = critic_loss(critic, c, real, fake, u, flip_real=True, flip_fake=False)
    names = [java_name("critic.", n) for n, _ in critic.named_parameters()]
    grads = torch.autograd.grad(loss, list(critic.parameters()))
    out = {"critic.loss": loss, "critic.adversarial": adversarial, "critic.gp": gp}
    for n, g in zip(names, grads):
        out["critic.grad." + n] = to_java(n, g)

    gl, gadv, mutual, sequence = generator_loss(generator, critic, c, real, eps, residual_scale, flip_real=False,
                                                flip_fake=True)
    gnames = [java_name("generator.", n) for n, _ in generator.named_parameters()]
    ggrads = torch.autograd.grad(gl, list(generator.parameters()))
    out.update({"generator.loss": gl, "generator.adversarial": gadv, "generator.mutual": mutual,
                "generator.sequence": sequence})
    for n, g in zip(gnames, ggrads):
        out["generator.grad." + n] = to_java(n, g)

    payload = {k_: v.detach().numpy().astype(np.float64).reshape(v.shape if v.dim() else (1,))
               for k_, v in {**arrays, **inputs, **out}.items()}
    payload["meta.config"] = np.frombuffer(c.java_properties(seed).encode("utf-8"), dtype=np.uint8)
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    tmp = FIXTURE + ".tmp.npz"
    np.savez(tmp, **payload)
    os.replace(tmp, FIXTURE)
    print("wrote %d arrays to %s: critic loss %.6f (GP %.6f), generator loss %.6f (mutual information %.6f)"
          % (len(payload), FIXTURE, loss.item(), gp.item(), gl.item(), mutual.item()))


if __name__ == "__main__":
    make_fixture()
