"""StyleFaceV on W+ codes, written the way a PyTorch user writes it: the second implementation that
org.latentmotion.motion.stylefacev.StyleFaceV is checked against (StyleFaceVTorchReferenceTest).

The model (see the Java class comments for the paper's facts and the W+ adaptation), on whitened principal
coordinates x [N, k] of W+ frames:

  decomposition  E_a = Linear(k, H) LReLU Linear(H, A);  E_p = Linear(k, H) LReLU Linear(H, P);
                 key-point head F = Linear(P, 2K);  recomposer R = Linear(A + P, H) LReLU Linear(H, k)
  stage 1        mean((F(E_p(x)) - l)^2)
  stage 2        per window an appearance frame i_b; rec = sum_{b,j: |j - i_b| >= gap} mean_k (R(E_a(x_{b,i_b}), E_p(x_{b,j})) - x_{b,j})^2
                 / count; loss = rec + lambda_kp * mean((F(E_p(x)) - l)^2)
  sampler        (h, c) = nn.LSTMCell(P, Hs)(p0); (h, c) = nn.LSTMCell(noise, Hs)(z_t, (h, c));
                 p_t = p_{t-1} + alpha * tanh(out(h)); z_hat_t = fc2(relu(fc1(cat(h, c))))
  critics        pairs [B, T-1, 2P] = (p_0, p_t); 2-D: Linear(2P, C2) LReLU Linear(C2, C2) LReLU Linear(C2, 1) per pair;
                 3-D: Conv1d(2P, C, 4, 2, 2) LReLU Conv1d(C, 2C, 4, 2, 2) LReLU Conv1d(2C, 1, 4, 1, 2) over time
  losses         relativistic average LSGAN for each critic (x 1/2), summed; critic + lambda_gp * mean((|dD3/dx_hat|
                 over channels - 1)^2); sampler + lambda_div * -mean(cos(z_hat, z))

make_fixture() draws a small model's weights (torch's default inits), inputs, computes every loss and its gradients in
float64 and writes them with the Java-layout parameter names to src/test/resources/motion/stylefacev/reference.npz.
Run offline with Debian's torch:  /usr/bin/python3 bench/torch/stylefacev.py
"""
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURE = os.path.join(ROOT, "src", "test", "resources", "motion", "stylefacev", "reference.npz")
NORM_EPS = 1e-12  # inside the square root of the penalty's norm (Java's choice)

# StyleFaceVGradientTest.tiny64() and two key points
B, T, K_PCA, H, A, P, GAP, NOISE, HS, ALPHA, C2, C3, KP = 3, 7, 3, 5, 2, 3, 2, 4, 5, 0.7, 4, 3, 2
SLOPE, LAMBDA_KP, LAMBDA_GP, LAMBDA_DIV = 0.2, 1.0, 10.0, 1.0


def mlp(*sizes):
    layers = []
    for j in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[j], sizes[j + 1]))
        if j < len(sizes) - 2:
            layers.append(nn.LeakyReLU(SLOPE))
    return nn.Sequential(*layers)


class Decomposition(nn.Module):
    def __init__(self):
        super().__init__()
        self.pose_encoder = mlp(K_PCA, H, P)
        self.keypoint_head = nn.Linear(P, 2 * KP)
        self.appearance_encoder = mlp(K_PCA, H, A)
        self.recomposer = mlp(A + P, H, K_PCA)


class Sampler(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc_cell = nn.LSTMCell(P, HS)
        self.cell = nn.LSTMCell(NOISE, HS)
        self.out = nn.Linear(HS, P)
        self.fc1 = nn.Linear(2 * HS, NOISE)
        self.fc2 = nn.Linear(NOISE, NOISE)

    def forward(self, p0, z):
        h, c = self.enc_cell(p0)
        poses, states = [p0], []
        for t in range(z.shape[1]):
            h, c = self.cell(z[:, t], (h, c))
            poses.append(poses[-1] + ALPHA * torch.tanh(self.out(h)))
            states.append(torch.cat([h, c], 1))
        rec = self.fc2(F.relu(self.fc1(torch.stack(states, 1).reshape(-1, 2 * HS))))
        return torch.stack(poses, 1), rec


class Critics(nn.Module):
    def __init__(self):
        super().__init__()
        self.critic2d = mlp(2 * P, C2, C2, 1)
        self.critic3d = nn.Sequential(nn.Conv1d(2 * P, C3, 4, 2, 2), nn.LeakyReLU(SLOPE),
                                      nn.Conv1d(C3, 2 * C3, 4, 2, 2), nn.LeakyReLU(SLOPE),
                                      nn.Conv1d(2 * C3, 1, 4, 1, 2))

    def score2d(self, pairs):
        return self.critic2d(pairs).squeeze(-1)

    def score3d(self, pairs):
        return self.critic3d(pairs.transpose(1, 2)).squeeze(1)


def pairs(seq):
    return torch.cat([seq[:, :1].expand(-1, seq.shape[1] - 1, -1), seq[:, 1:]], 2)


def ls(a, other, target):
    return torch.mean((a - torch.mean(other) - target) ** 2)


def relativistic(d_first, d_second):
    """(1/2) [ls(first, second, 1) + ls(second, first, 0)]: the critic's loss with (real, fake), the sampler's with (fake, real)."""
    return 0.5 * (ls(d_first, d_second, 1.0) + ls(d_second, d_first, 0.0))


def gradient_penalty(critics, real_pairs, fake_pairs, u):
    hat = (fake_pairs + u.view(-1, 1, 1) * (real_pairs - fake_pairs)).detach().requires_grad_(True)
    g, = torch.autograd.grad(critics.score3d(hat).sum(), hat, create_graph=True)
    norms = torch.sqrt((g ** 2).sum(2) + NORM_EPS)
    return torch.mean((norms - 1) ** 2)


def diversity(rec, z):
    z = z.reshape(-1, NOISE)
    cos = (rec * z).sum(1) / (torch.sqrt((rec ** 2).sum(1) + 1e-24) * torch.sqrt((z ** 2).sum(1)))
    return -cos.mean()


def java_layout(prefix, module):
    """Parameters under the Java names and layouts: Linear [in, out], LSTMCell weights [in, 4H], Conv1d [k*C_in, C_out]."""
    out = {}
    for name, p in module.named_parameters():
        v = p.detach()
        jname = name
        if isinstance(module, (Decomposition, Critics)) and ("." in name):
            parts = name.split(".")
            if parts[0] in ("pose_encoder", "appearance_encoder", "recomposer", "critic2d"):
                # Sequential index -> fc<j> (LeakyReLUs sit between the Linear layers)
                jname = "%s.fc%d.%s" % (parts[0], int(parts[1]) // 2, parts[2])
            elif parts[0] == "critic3d":
                jname = "critic3d.conv%d.%s" % (int(parts[1]) // 2, parts[2])
        if v.dim() == 3:
            v = v.permute(2, 1, 0).reshape(-1, v.shape[0])
        elif v.dim() == 2:
            v = v.t()
        out[prefix + jname] = v.contiguous()
    return out


def grads_of(loss, prefix, module):
    names = java_layout(prefix, module)
    params = list(module.parameters())
    gs = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
    out = {}
    for (jname, _), (name, p), g in zip(names.items(), module.named_parameters(), gs):
        g = torch.zeros_like(p) if g is None else g
        if g.dim() == 3:
            g = g.permute(2, 1, 0).reshape(-1, g.shape[0])
        elif g.dim() == 2:
            g = g.t()
        out[jname] = g.detach().contiguous()
    return out


def make_fixture(seed=11):
    torch.manual_seed(seed)
    torch.set_default_dtype(torch.float64)
    dec, sam, cri = Decomposition(), Sampler(), Critics()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(B, T, K_PCA, generator=g)
    labels = torch.randn(B * T, 2 * KP, generator=g)
    frames = torch.tensor([0, 3, 6])
    real = torch.randn(B, T, P, generator=g)
    fake = 0.5 * torch.randn(B, T, P, generator=g)
    u = torch.rand(B, generator=g)
    z = torch.randn(B, T - 1, NOISE, generator=g)

    rows = x.reshape(B * T, K_PCA)
    pose = dec.pose_encoder(rows)
    keypoint = torch.mean((dec.keypoint_head(pose) - labels) ** 2)
    a = dec.appearance_encoder(x[torch.arange(B), frames])
    per_frame = a[:, None, :].expand(B, T, A).reshape(B * T, A)
    rebuilt = dec.recomposer(torch.cat([per_frame, pose], 1))
    mask = (torch.arange(T)[None, :] - frames[:, None]).abs().ge(GAP).reshape(-1).double()
    rec = ((rebuilt - rows) ** 2).mean(1).mul(mask).sum() / mask.sum()
    stage2 = rec + LAMBDA_KP * keypoint

    rp, fp = pairs(real), pairs(fake)
    c2 = relativistic(cri.score2d(rp), cri.score2d(fp))
    c3 = relativistic(cri.score3d(rp), cri.score3d(fp))
    gp = gradient_penalty(cri, rp, fp, u)
    critic = c2 + c3 + LAMBDA_GP * gp

    poses, zrec = sam(real[:, 0], z)
    gp2 = pairs(poses)
    g2 = relativistic(cri.score2d(gp2), cri.score2d(rp))
    g3 = relativistic(cri.score3d(gp2), cri.score3d(rp))
    div = diversity(zrec, z)
    sampler_loss = g2 + g3 + LAMBDA_DIV * div

    out = {}
    for prefix, m in (("pose.", dec), ("sampler.", sam), ("critic.", cri)):
        for k, v in java_layout("", m).items():
            group = prefix
            if m is dec:
                group = "pose." if k.startswith(("pose_encoder", "keypoint_head")) else "appearance."
            out[group + k] = v
    inputs = dict(x=x, labels=labels, frames=frames.double(), real=real, fake=fake, u=u, noise=z)
    for k, v in inputs.items():
        out["input." + k] = v
    values = dict(keypoint=keypoint, stage2=stage2, reconstruction=rec, critic=critic, gp=gp, sampler=sampler_loss,
                  diversity=div, poses=poses)
    for k, v in values.items():
        out["value." + k] = v.detach()
    for lname, loss in (("keypoint", keypoint), ("stage2", stage2), ("critic", critic), ("gp", gp),
                        ("sampler", sampler_loss), ("diversity", div)):
        module = {"keypoint": dec, "stage2": dec, "critic": cri, "gp": cri, "sampler": sam, "diversity": sam}[lname]
        for k, v in grads_of(loss, "", module).items():
            group = ""
            if module is dec:
                group = "pose." if k.startswith(("pose_encoder", "keypoint_head")) else "appearance."
            elif module is cri:
                group = "critic."
            else:
                group = "sampler."
            out["grad.%s.%s%s" % (lname, group, k)] = v
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    np.savez(FIXTURE, **{k: np.asarray(v.numpy() if torch.is_tensor(v) else v, dtype=np.float64) for k, v in out.items()})
    print("wrote %s: %d arrays; keypoint %.6f, stage 2 %.6f, critic %.6f (gp %.6f), sampler %.6f (diversity %.6f)"
          % (FIXTURE, len(out), keypoint, stage2, critic, gp, sampler_loss, div))


if __name__ == "__main__":
    torch.set_num_threads(1)
    make_fixture()
