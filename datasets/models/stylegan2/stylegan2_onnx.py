#!/usr/bin/python3
"""Export a StyleGAN2 synthesis network (W+ codes -> images) to ONNX for latentmotion.

The exported graph has exactly the interface latentmotion's Synthesizer expects:

    input  "w"     float32 [N, L, 512]   (N dynamic; L = 2*log2(resolution) - 2, 18 at 1024^2)
    output "image" float32 [N, 3, H, W]  (values in [-1, 1]; metadata latentmotion.range = "-1,1")

The network is written out in plain PyTorch ops that ONNX Runtime runs everywhere:
  * modulated convolution with demodulation in the NON-GROUPED form
    (scale the input by the style, run one ordinary convolution with the shared weight,
    scale the output by the demodulation coefficient) -- no per-sample weights, no
    grouped convolution, so the batch dimension stays dynamic;
  * upsampling as a transposed convolution followed by a [1,3,3,1] blur, and the RGB skip
    upsampled by a depthwise transposed convolution with the same filter (identical to
    upfirdn2d(up=2, pad=(2,1))), i.e. no custom CUDA ops;
  * noise as fixed buffers (one per layer, the checkpoint's own `noises.noise_i` when present),
    so the same code always gives the same picture.

Usage (run offline with Debian's torch: /usr/bin/python3, never from a notebook):

  # 1. No checkpoint: the small random-weight network the tests use (64x64, L = 10).
  /usr/bin/python3 datasets/models/stylegan2/stylegan2_onnx.py --random --out datasets/models/stylegan2

  # 2. rosinality/stylegan2-pytorch checkpoint (e.g. 550000.pt, or a converted FFHQ .pt):
  /usr/bin/python3 datasets/models/stylegan2/stylegan2_onnx.py \
      --rosinality 550000.pt --size 1024 --channel-multiplier 2 --out my-stylegan2

  # 3. NVlabs stylegan2-ada-pytorch (or stylegan3 repo, cfg=stylegan2) pickle:
  #    the pickle needs NVlabs' code to unpickle: clone the repo and pass its folder.
  /usr/bin/python3 datasets/models/stylegan2/stylegan2_onnx.py \
      --nvlabs ffhq.pkl --nvlabs-repo ~/src/stylegan2-ada-pytorch --out my-stylegan2

Step by step for a real checkpoint (see also README.md in this folder):
  1. Find resolution and channel multiplier: rosinality FFHQ 1024 uses --size 1024
     --channel-multiplier 2; the 256px "config-f" models too; config-e models use 1.
  2. Run the export. The script loads the weights into the plain-ops network, then renders
     the same W+ codes through the checkpoint's ORIGINAL generator if its code is importable
     (rosinality: put model.py on PYTHONPATH or pass --rosinality-repo; NVlabs: --nvlabs-repo)
     and prints the largest difference. Expect < 1e-3 (float32, different op order).
  3. Check the printed interface: "w [N, 18, 512] -> image [N, 3, 1024, 1024]".
  4. In Java: Synthesizer.open(Path.of("my-stylegan2/stylegan2.onnx")). Codes must be W+
     codes of THIS generator (from its mapping network, or from a pSp encoder trained on it).

StyleGAN3 (the alias-free "stylegan3-t/-r" configs) is a different synthesis network
(Fourier features, filtered non-linearities); it is not covered by this script.

Outputs: stylegan2.onnx, reference_w.npy, reference_image.npy (the PyTorch output for
reference_w, which the Java test compares against), stylegan2.json (what was exported).
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STYLE_DIM = 512


def blur_kernel(k=(1, 3, 3, 1)):
    k = torch.tensor(k, dtype=torch.float32)
    k = k[None, :] * k[:, None]
    return k / k.sum()


class EqualLinear(nn.Module):
    """Affine map of a W code to per-channel styles, with equalized learning rate."""

    def __init__(self, in_dim, out_dim, bias_init=0.0, lr_mul=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim) / lr_mul)
        self.bias = nn.Parameter(torch.zeros(out_dim).fill_(bias_init))
        self.scale = (1 / math.sqrt(in_dim)) * lr_mul
        self.lr_mul = lr_mul

    def forward(self, x):
        return F.linear(x, self.weight * self.scale, bias=self.bias * self.lr_mul)


class ModulatedConv2d(nn.Module):
    """StyleGAN2 modulated convolution, non-grouped form (fused=False in rosinality's code)."""

    def __init__(self, in_ch, out_ch, k, demodulate=True, upsample=False):
        super().__init__()
        self.k = k
        self.upsample = upsample
        self.demodulate = demodulate
        self.scale = 1 / math.sqrt(in_ch * k * k)
        self.padding = k // 2
        # rosinality keeps a leading 1 so per-sample weights could be broadcast; kept for loading.
        self.weight = nn.Parameter(torch.randn(1, out_ch, in_ch, k, k))
        self.modulation = EqualLinear(STYLE_DIM, in_ch, bias_init=1.0)
        if upsample:
            # depthwise [1,3,3,1] blur, one copy per output channel (static shape for the export)
            self.register_buffer("blur", (blur_kernel() * 4)[None, None].repeat(out_ch, 1, 1, 1), persistent=False)

    def forward(self, x, w):
        style = self.modulation(w)                      # [N, in]
        weight = self.scale * self.weight[0]            # [out, in, k, k]
        x = x * style[:, :, None, None]
        if self.upsample:
            x = F.conv_transpose2d(x, weight.transpose(0, 1), stride=2, padding=0)
            x = F.conv2d(x, self.blur, padding=1, groups=self.blur.shape[0])
        else:
            x = F.conv2d(x, weight, padding=self.padding)
        if self.demodulate:
            # sum over (in, k, k) of (scale * w * s)^2 = (s^2) @ sum_k(w^2)^T
            wsq = (weight * weight).sum(dim=(2, 3))      # [out, in]
            demod = torch.rsqrt(torch.matmul(style * style, wsq.t()) + 1e-8)  # [N, out]
            x = x * demod[:, :, None, None]
        return x


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, x, noise):
        return x + self.weight * noise


class FusedLeakyReLU(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(ch))

    def forward(self, x):
        return F.leaky_relu(x + self.bias[None, :, None, None], 0.2) * math.sqrt(2)


class StyledConv(nn.Module):
    def __init__(self, in_ch, out_ch, k, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(in_ch, out_ch, k, upsample=upsample)
        self.noise = NoiseInjection()
        self.activate = FusedLeakyReLU(out_ch)

    def forward(self, x, w, noise):
        return self.activate(self.noise(self.conv(x, w), noise))


class ToRGB(nn.Module):
    def __init__(self, in_ch, upsample=True):
        super().__init__()
        self.conv = ModulatedConv2d(in_ch, 3, 1, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))
        if upsample:
            self.register_buffer("up", (blur_kernel() * 4)[None, None].repeat(3, 1, 1, 1), persistent=False)

    def forward(self, x, w, skip=None):
        out = self.conv(x, w) + self.bias
        if skip is not None:
            # == upfirdn2d(skip, k*4, up=2, pad=(2, 1)) for a symmetric kernel
            skip = F.conv_transpose2d(skip, self.up, stride=2, padding=1, groups=3)
            out = out + skip
        return out


class ConstantInput(nn.Module):
    def __init__(self, ch, size=4):
        super().__init__()
        self.input = nn.Parameter(torch.randn(1, ch, size, size))


def rosinality_channels(size, channel_multiplier=2):
    m = channel_multiplier
    base = {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * m, 128: 128 * m, 256: 64 * m, 512: 32 * m, 1024: 16 * m}
    return {r: c for r, c in base.items() if r <= size}


class Synthesis(nn.Module):
    """W+ [N, L, 512] -> image [N, 3, size, size], parameter names as rosinality's Generator."""

    def __init__(self, size, channels):
        super().__init__()
        self.size = size
        self.log_size = int(math.log2(size))
        self.num_layers = (self.log_size - 2) * 2 + 1
        self.n_latent = self.log_size * 2 - 2
        self.input = ConstantInput(channels[4])
        self.conv1 = StyledConv(channels[4], channels[4], 3)
        self.to_rgb1 = ToRGB(channels[4], upsample=False)
        self.convs = nn.ModuleList()
        self.to_rgbs = nn.ModuleList()
        self.noises = nn.Module()
        for i in range(self.num_layers):
            res = (i + 5) // 2
            self.noises.register_buffer(f"noise_{i}", torch.randn(1, 1, 2 ** res, 2 ** res))
        in_ch = channels[4]
        for i in range(3, self.log_size + 1):
            out_ch = channels[2 ** i]
            self.convs.append(StyledConv(in_ch, out_ch, 3, upsample=True))
            self.convs.append(StyledConv(out_ch, out_ch, 3))
            self.to_rgbs.append(ToRGB(out_ch))
            in_ch = out_ch

    def forward(self, w):
        noise = [getattr(self.noises, f"noise_{i}") for i in range(self.num_layers)]
        n = w.shape[0]
        x = self.input.input.repeat(n, 1, 1, 1)
        x = self.conv1(x, w[:, 0], noise[0])
        skip = self.to_rgb1(x, w[:, 1])
        i = 1
        for conv_up, conv, to_rgb in zip(self.convs[::2], self.convs[1::2], self.to_rgbs):
            x = conv_up(x, w[:, i], noise[i])
            x = conv(x, w[:, i + 1], noise[i + 1])
            skip = to_rgb(x, w[:, i + 2], skip)
            i += 2
        return skip


def load_rosinality(path, size, channel_multiplier):
    ckpt = torch.load(path, map_location="cpu")
    state = ckpt["g_ema"] if "g_ema" in ckpt else ckpt
    net = Synthesis(size, rosinality_channels(size, channel_multiplier))
    synth_state = {k: v for k, v in state.items() if not k.startswith("style.")}
    missing, unexpected = net.load_state_dict(synth_state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"checkpoint does not match a {size}px StyleGAN2 with channel multiplier "
                         f"{channel_multiplier}: missing {missing[:6]}, unexpected {unexpected[:6]}")
    return net, state


def load_nvlabs(path, repo):
    """Copies G.synthesis of an NVlabs pickle into the plain-ops network."""
    if repo:
        sys.path.insert(0, os.path.expanduser(repo))
    import pickle
    with open(path, "rb") as f:
        data = pickle.load(f)  # needs dnnlib + torch_utils from the NVlabs repo on sys.path
    g = data["G_ema"].float().eval()
    s = g.synthesis
    size = s.img_resolution
    channels = {r: getattr(s, f"b{r}").out_channels for r in s.block_resolutions}
    net = Synthesis(size, channels)
    sd = {}
    with torch.no_grad():
        def conv(dst, layer):
            # NVlabs: weight [out, in, k, k], affine = FullyConnectedLayer (weight_gain 1/sqrt(in), bias init 1)
            sd[f"{dst}.conv.weight"] = layer.weight[None]
            sd[f"{dst}.conv.modulation.weight"] = layer.affine.weight.clone()
            sd[f"{dst}.conv.modulation.bias"] = layer.affine.bias * layer.affine.bias_gain
            sd[f"{dst}.noise.weight"] = layer.noise_strength.reshape(1)
            sd[f"{dst}.activate.bias"] = layer.bias
        def rgb(dst, layer):
            # ToRGBLayer folds its weight_gain 1/sqrt(in) into the style; ours puts it on the weight:
            # same product. Raw affine weights: EqualLinear applies the same 1/sqrt(512) gain.
            sd[f"{dst}.conv.weight"] = layer.weight[None]
            sd[f"{dst}.conv.modulation.weight"] = layer.affine.weight.clone()
            sd[f"{dst}.conv.modulation.bias"] = layer.affine.bias * layer.affine.bias_gain
            sd[f"{dst}.bias"] = layer.bias.reshape(1, 3, 1, 1)
        b4 = s.b4
        sd["input.input"] = b4.const[None]
        conv("conv1", b4.conv1)
        rgb("to_rgb1", b4.torgb)
        sd["noises.noise_0"] = b4.conv1.noise_const[None, None]
        li = 1
        for j, r in enumerate(s.block_resolutions[1:]):
            b = getattr(s, f"b{r}")
            conv(f"convs.{2 * j}", b.conv0)
            conv(f"convs.{2 * j + 1}", b.conv1)
            rgb(f"to_rgbs.{j}", b.torgb)
            sd[f"noises.noise_{li}"] = b.conv0.noise_const[None, None]
            sd[f"noises.noise_{li + 1}"] = b.conv1.noise_const[None, None]
            li += 2
    missing, unexpected = net.load_state_dict(sd, strict=False)
    if missing or unexpected:
        raise SystemExit(f"pickle does not map onto a StyleGAN2 synthesis network: missing {missing[:6]}")
    if getattr(b4.conv1, "conv_clamp", None) is not None:
        print("note: the pickle uses conv_clamp; the export does not clamp activations "
              "(differences show only for extreme codes)")
    return net, g


def random_network(size, channels, seed):
    torch.manual_seed(seed)
    net = Synthesis(size, channels)
    with torch.no_grad():
        # A trained network has non-zero noise strengths and biases; make the test exercise them.
        for m in net.modules():
            if isinstance(m, NoiseInjection):
                m.weight.fill_(0.1)
            if isinstance(m, FusedLeakyReLU):
                m.bias.normal_(0, 0.1)
            if isinstance(m, ToRGB):
                m.conv.weight.mul_(0.25)  # keeps untrained output roughly inside [-1, 1]
    return net


def upfirdn2d_reference(x, k, up=1, pad=(0, 0)):
    """Plain-loop definition of upfirdn2d (zero-insert, pad, correlate with the flipped kernel),
    used only to check that the ONNX-friendly formulations above compute the same thing."""
    n, c, h, w = x.shape
    z = torch.zeros(n, c, h * up, w * up)
    z[:, :, ::up, ::up] = x
    z = F.pad(z, (pad[0], pad[1], pad[0], pad[1]))
    kf = torch.flip(k, [0, 1])
    kh, kw = k.shape
    out = torch.zeros(n, c, z.shape[2] - kh + 1, z.shape[3] - kw + 1)
    for i in range(kh):
        for j in range(kw):
            out += kf[i, j] * z[:, :, i:i + out.shape[2], j:j + out.shape[3]]
    return out


def check_resampling():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 5, 5)
    k4 = blur_kernel() * 4
    up_ref = upfirdn2d_reference(x, k4, up=2, pad=(2, 1))
    up_ours = F.conv_transpose2d(x, k4[None, None].repeat(3, 1, 1, 1), stride=2, padding=1, groups=3)
    blur_ref = upfirdn2d_reference(x, k4, pad=(1, 1))
    blur_ours = F.conv2d(x, k4[None, None].repeat(3, 1, 1, 1), padding=1, groups=3)
    err = max((up_ref - up_ours).abs().max().item(), (blur_ref - blur_ours).abs().max().item())
    assert err < 1e-5, f"resampling formulation differs from upfirdn2d by {err}"
    print(f"resampling matches upfirdn2d (max |diff| {err:.1e})")
    # non-grouped modulated conv == the paper's per-sample weight form (grouped conv)
    for up in (False, True):
        m = ModulatedConv2d(6, 5, 3, upsample=up)
        xi, wi = torch.randn(2, 6, 4, 4), torch.randn(2, STYLE_DIM)
        s_ = m.modulation(wi)
        wt = m.scale * m.weight * s_[:, None, :, None, None]             # [N, out, in, k, k]
        wt = wt * torch.rsqrt(wt.pow(2).sum([2, 3, 4]) + 1e-8)[:, :, None, None, None]
        if up:
            wg = wt.transpose(1, 2).reshape(2 * 6, 5, 3, 3)
            ref = F.conv_transpose2d(xi.reshape(1, 12, 4, 4), wg, stride=2, groups=2).reshape(2, 5, 9, 9)
            ref = upfirdn2d_reference(ref.reshape(10, 1, 9, 9), k4, pad=(1, 1)).reshape(2, 5, 8, 8)
        else:
            ref = F.conv2d(xi.reshape(1, 12, 4, 4), wt.reshape(10, 6, 3, 3), padding=1, groups=2).reshape(2, 5, 4, 4)
        err = (m(xi, wi) - ref).abs().max().item()
        assert err < 1e-4, f"modulated conv (up={up}) differs from the grouped form by {err}"
    print("non-grouped modulated conv matches the per-sample-weight form")


def export(net, out_dir, meta, seed, reference_batch=3):
    os.makedirs(out_dir, exist_ok=True)
    net = net.eval()
    g = torch.Generator().manual_seed(seed + 1)
    w = torch.randn(reference_batch, net.n_latent, STYLE_DIM, generator=g)
    with torch.no_grad():
        ref = net(w)
    onnx_path = os.path.join(out_dir, "stylegan2.onnx")
    tmp = onnx_path + ".tmp"
    torch.onnx.export(net, (w,), tmp, input_names=["w"], output_names=["image"],
                      dynamic_axes={"w": {0: "N"}, "image": {0: "N"}}, opset_version=17,
                      do_constant_folding=True)
    import onnx
    model = onnx.load(tmp)
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, str(v)
    onnx.checker.check_model(model)
    onnx.save(model, tmp)
    os.replace(tmp, onnx_path)
    np.save(os.path.join(out_dir, "reference_w.npy"), w.numpy().astype(np.float32))
    np.save(os.path.join(out_dir, "reference_image.npy"), ref.numpy().astype(np.float32))
    with open(os.path.join(out_dir, "stylegan2.json"), "w") as f:
        json.dump(dict(meta, layers=net.n_latent, resolution=net.size,
                       parameters=sum(p.numel() for p in net.parameters())), f, indent=2)
    print(f"exported {onnx_path}: w [N, {net.n_latent}, {STYLE_DIM}] -> image [N, 3, {net.size}, {net.size}], "
          f"{os.path.getsize(onnx_path) / 1e6:.2f} MB; output range of reference "
          f"[{ref.min():.3f}, {ref.max():.3f}]")
    return w, ref


# The small test network: 64^2, L = 10, few channels so the .onnx stays ~2-3 MB.
TEST_SIZE = 64
TEST_CHANNELS = {4: 64, 8: 64, 16: 48, 32: 32, 64: 32}
TEST_SEED = 2024


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--random", action="store_true", help="small random-weight network (tests)")
    p.add_argument("--rosinality", help="rosinality stylegan2-pytorch checkpoint (.pt with g_ema)")
    p.add_argument("--rosinality-repo", help="folder with rosinality's model.py, to cross-check")
    p.add_argument("--size", type=int, default=1024)
    p.add_argument("--channel-multiplier", type=int, default=2)
    p.add_argument("--nvlabs", help="NVlabs stylegan2-ada-pytorch / stylegan3 (cfg stylegan2) .pkl")
    p.add_argument("--nvlabs-repo", help="folder of the NVlabs repo (dnnlib, torch_utils)")
    p.add_argument("--seed", type=int, default=TEST_SEED)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_grad_enabled(False)
    check_resampling()

    if a.random:
        net = random_network(TEST_SIZE, TEST_CHANNELS, a.seed)
        meta = {"latentmotion.range": "-1,1", "latentmotion.architecture": "stylegan2",
                "latentmotion.source": f"random weights, seed {a.seed} (test network, not trained)",
                "latentmotion.channels": json.dumps(TEST_CHANNELS)}
        export(net, a.out, meta, a.seed)
    elif a.rosinality:
        net, state = load_rosinality(a.rosinality, a.size, a.channel_multiplier)
        meta = {"latentmotion.range": "-1,1", "latentmotion.architecture": "stylegan2",
                "latentmotion.source": f"rosinality checkpoint {os.path.basename(a.rosinality)}"}
        w, ref = export(net, a.out, meta, a.seed)
        if a.rosinality_repo:
            sys.path.insert(0, os.path.expanduser(a.rosinality_repo))
        try:
            from model import Generator  # rosinality's model.py (needs its op/ folder)
            g = Generator(a.size, STYLE_DIM, 8, channel_multiplier=a.channel_multiplier)
            g.load_state_dict(state)
            g.eval()
            noise = [getattr(net.noises, f"noise_{i}") for i in range(net.num_layers)]
            orig, _ = g([w], input_is_latent=True, noise=noise, randomize_noise=False)
            print(f"cross-check against rosinality's Generator: max |diff| = {(orig - ref).abs().max():.2e}")
        except Exception as e:  # ImportError, or its op/ CUDA extensions failing to build on import
            print(f"rosinality's model.py not usable here ({type(e).__name__}: {e}); skipped the cross-check "
                  "(pass --rosinality-repo; its op/ extensions need a compiler)")
    elif a.nvlabs:
        net, g = load_nvlabs(a.nvlabs, a.nvlabs_repo)
        # Transposed-conv conventions differ between ports (NVlabs keeps the TF kernel orientation
        # for up-sampling convs): keep whichever orientation reproduces G.synthesis.
        probe = torch.randn(2, net.n_latent, STYLE_DIM, generator=torch.Generator().manual_seed(a.seed))
        target = g.synthesis(probe, noise_mode="const", force_fp32=True)
        err = (net(probe) - target).abs().max().item()
        with torch.no_grad():
            for c in net.convs[::2]:
                c.conv.weight.copy_(torch.flip(c.conv.weight, [3, 4]))
        err_flipped = (net(probe) - target).abs().max().item()
        if err < err_flipped:
            with torch.no_grad():
                for c in net.convs[::2]:
                    c.conv.weight.copy_(torch.flip(c.conv.weight, [3, 4]))
        print(f"up-sampling kernels {'flipped' if err_flipped <= err else 'as stored'}: "
              f"max |diff| {min(err, err_flipped):.2e} (other orientation {max(err, err_flipped):.2e})")
        meta = {"latentmotion.range": "-1,1", "latentmotion.architecture": "stylegan2",
                "latentmotion.source": f"NVlabs pickle {os.path.basename(a.nvlabs)}"}
        w, ref = export(net, a.out, meta, a.seed)
        orig = g.synthesis(w, noise_mode="const", force_fp32=True)
        print(f"cross-check against NVlabs G.synthesis: max |diff| = {(orig - ref).abs().max():.2e}")
    else:
        p.error("give --random, --rosinality CKPT or --nvlabs PKL")


if __name__ == "__main__":
    main()
