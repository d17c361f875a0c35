#!/usr/bin/python3
"""Export a StyleGAN2 generator to ONNX for latentmotion: synthesis (W+ -> image) and mapping (z -> w).

Writes, into --out:
  stylegan2.onnx   input "w" float32 [N, L, w_dim] -> output "image" float32 [N, 3, H, W] in [-1, 1]
                   (L = 2*log2(H) - 2: 18 at 1024^2, 14 at 256^2; metadata latentmotion.range = "-1,1")
  mapping.onnx     input "z" float32 [N, z_dim] -> outputs "w" float32 [N, w_dim] (untruncated) and
                   "w_avg" float32 [w_dim]; metadata latentmotion.kind = mapping, latentmotion.num_ws,
                   latentmotion.w_avg_source
  reference_z.npy, reference_mapped_w.npy   mapping input/output of this script's PyTorch module
  reference_w.npy, reference_image.npy      W+ codes (each layer its own mapped z) and its image
  (that the module matches the ORIGINAL generators is shown by the fixtures in fixtures/)
  stylegan2.json   what was exported, and the self-check's figures

Sources (run offline with Debian's torch, /usr/bin/python3):
  --random                 the small random-weight test network (64x64, L = 10)
  --rosinality CKPT.pt     rosinality/stylegan2-pytorch: a train.py checkpoint (g, d, g_ema, optimizers,
                           args) or a convert_weight.py FFHQ conversion (g_ema, latent_avg); size,
                           channels, n_mlp and latent size are read from the checkpoint itself
  --nvlabs NET.pkl         NVlabs stylegan2-ada-pytorch, or stylegan3-repo --cfg=stylegan2, pickle;
                           read without NVlabs' code (see nvlabs_pickle.py)

Self-check: after writing, both ONNX files are run on ONNX Runtime (through the toolkit's Java CLI
RunOnnx; see ../onnx_check.py) on mapped codes and compared with the PyTorch module; the largest
differences are printed and the script exits with status 3 if one exceeds 1e-4.
Optional cross-check against the original code: --rosinality-repo DIR / --nvlabs-repo DIR.
"""
import argparse
import json
import math
import os
import sys
import time
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # datasets/models: onnx_check
sys.path.insert(0, HERE)

TOLERANCE = 1e-4
SQRT2 = math.sqrt(2)


def blur_kernel(k=(1, 3, 3, 1)):
    k = torch.tensor(k, dtype=torch.float32)
    k = k[None, :] * k[:, None]
    return k / k.sum()


# --- The plain-ops network. Every layer holds its weights ONCE, already in the form its ONNX op uses
# (gains folded in, transposed for the up-sampling conv): nothing is left for constant folding to
# duplicate. (Before: the raw weight and its folded, scaled/transposed copy were both written, 219 MB
# at 1024^2.) Loaders fill these from the checkpoint's raw tensors through the set_* methods.

class ModConv(nn.Module):
    """Modulated convolution, non-grouped form: scale the input by the style, one ordinary
    convolution with the shared weight, scale the output by the demodulation coefficient.
    No per-sample weights, so the batch dimension stays dynamic."""

    def __init__(self, in_ch, out_ch, k, w_dim, demodulate=True, upsample=False):
        super().__init__()
        self.k, self.upsample, self.demodulate = k, upsample, demodulate
        self.in_ch, self.out_ch = in_ch, out_ch
        wshape = (in_ch, out_ch, k, k) if upsample else (out_ch, in_ch, k, k)
        self.register_buffer("weight", torch.zeros(wshape))           # gain folded in
        self.register_buffer("affine_w", torch.zeros(in_ch, w_dim))   # gain folded in
        self.register_buffer("affine_b", torch.zeros(in_ch))
        if upsample:
            self.register_buffer("blur", (blur_kernel() * 4)[None, None].repeat(out_ch, 1, 1, 1))

    def set(self, weight, gain, affine_w, affine_gain, affine_b):
        """weight [out, in, k, k] as stored; effective weight = weight * gain (same for the affine)."""
        w = weight.float() * gain
        self.weight.copy_(w.transpose(0, 1) if self.upsample else w)
        self.affine_w.copy_(affine_w.float() * affine_gain)
        self.affine_b.copy_(affine_b.float().reshape(-1))

    def forward(self, x, w):
        style = F.linear(w, self.affine_w, self.affine_b)   # [N, in]
        x = x * style[:, :, None, None]
        if self.upsample:
            x = F.conv_transpose2d(x, self.weight, stride=2)
            x = F.conv2d(x, self.blur, padding=1, groups=self.blur.shape[0])
        else:
            x = F.conv2d(x, self.weight, padding=self.k // 2)
        if self.demodulate:
            # sum over (in, k, k) of (w * s)^2 = (s^2) @ wsq^T, wsq = sum over k of w^2 [out, in]. Computed
            # in the graph (about 1/9 of a convolution's weights, cheap) rather than stored beside them.
            wsq = (self.weight * self.weight).sum(dim=(2, 3))
            x = x * torch.rsqrt(torch.matmul(style * style, wsq if self.upsample else wsq.t()) + 1e-8)[:, :, None, None]
        return x


class StyledConv(nn.Module):
    def __init__(self, in_ch, out_ch, w_dim, res, upsample=False):
        super().__init__()
        self.conv = ModConv(in_ch, out_ch, 3, w_dim, upsample=upsample)
        self.register_buffer("noise", torch.zeros(1, 1, res, res))  # noise_strength folded in
        self.register_buffer("bias", torch.zeros(1, out_ch, 1, 1))
        self.clamp = None  # NVlabs conv_clamp

    def forward(self, x, w):
        x = F.leaky_relu(self.conv(x, w) + self.noise + self.bias, 0.2) * SQRT2
        return x if self.clamp is None else torch.clamp(x, -self.clamp, self.clamp)


class ToRGB(nn.Module):
    def __init__(self, in_ch, w_dim, upsample=True):
        super().__init__()
        self.conv = ModConv(in_ch, 3, 1, w_dim, demodulate=False)
        self.register_buffer("bias", torch.zeros(1, 3, 1, 1))
        self.clamp = None
        if upsample:
            self.register_buffer("up", (blur_kernel() * 4)[None, None].repeat(3, 1, 1, 1))

    def forward(self, x, w, skip=None):
        out = self.conv(x, w) + self.bias
        if self.clamp is not None:
            out = torch.clamp(out, -self.clamp, self.clamp)
        if skip is not None:
            # == upfirdn2d(skip, k*4, up=2, pad=(2, 1)) for a symmetric kernel
            out = out + F.conv_transpose2d(skip, self.up, stride=2, padding=1, groups=3)
        return out


class Synthesis(nn.Module):
    """W+ [N, L, w_dim] -> image [N, 3, size, size]; layer order as both rosinality and NVlabs."""

    def __init__(self, size, channels, w_dim):
        super().__init__()
        self.size, self.w_dim, self.channels = size, w_dim, dict(channels)
        self.log_size = int(math.log2(size))
        self.n_latent = self.log_size * 2 - 2
        self.register_buffer("const", torch.zeros(1, channels[4], 4, 4))
        self.conv1 = StyledConv(channels[4], channels[4], w_dim, 4)
        self.to_rgb1 = ToRGB(channels[4], w_dim, upsample=False)
        self.convs, self.to_rgbs = nn.ModuleList(), nn.ModuleList()
        in_ch = channels[4]
        for i in range(3, self.log_size + 1):
            out_ch = channels[2 ** i]
            self.convs.append(StyledConv(in_ch, out_ch, w_dim, 2 ** i, upsample=True))
            self.convs.append(StyledConv(out_ch, out_ch, w_dim, 2 ** i))
            self.to_rgbs.append(ToRGB(out_ch, w_dim))
            in_ch = out_ch

    def styled_convs(self):
        return [self.conv1] + list(self.convs)

    def forward(self, w):
        x = self.const.expand(w.shape[0], -1, -1, -1)
        x = self.conv1(x, w[:, 0])
        skip = self.to_rgb1(x, w[:, 1])
        i = 1
        for conv_up, conv, to_rgb in zip(self.convs[::2], self.convs[1::2], self.to_rgbs):
            x = conv_up(x, w[:, i])
            x = conv(x, w[:, i + 1])
            skip = to_rgb(x, w[:, i + 2], skip)
            i += 2
        return skip


class Mapping(nn.Module):
    """z -> w: normalize the 2nd moment, then fully connected layers with leaky ReLU * sqrt(2)."""

    def __init__(self, z_dim, dims):
        super().__init__()
        self.z_dim, self.w_dim = z_dim, dims[-1][0]
        self.n = len(dims)
        for i, (out_d, in_d) in enumerate(dims):
            self.register_buffer(f"w{i}", torch.zeros(out_d, in_d))  # gain and lr multiplier folded in
            self.register_buffer(f"b{i}", torch.zeros(out_d))
        self.register_buffer("w_avg", torch.zeros(self.w_dim))
        self.w_avg_source = None

    def forward(self, z):
        x = z * torch.rsqrt(torch.mean(z * z, dim=1, keepdim=True) + 1e-8)
        for i in range(self.n):
            x = F.leaky_relu(F.linear(x, getattr(self, f"w{i}"), getattr(self, f"b{i}")), 0.2) * SQRT2
        return x

    def mean_w(self, count=100_000, seed=0):
        """Mean of `count` mapped z (fixed seed), in chunks so memory stays small."""
        g = torch.Generator().manual_seed(seed)
        total = torch.zeros(self.w_dim, dtype=torch.float64)
        for start in range(0, count, 10_000):
            n = min(10_000, count - start)
            total += self(torch.randn(n, self.z_dim, generator=g)).double().sum(0)
        return (total / count).float()


# --- Loaders for the layouts people have.

def rosinality_dims(state, where):
    """size, channels per resolution, w_dim, z_dim, n_mlp, read from a rosinality g_ema state dict."""
    for key in ("input.input", "conv1.conv.weight", "to_rgb1.conv.weight"):
        if key not in state:
            raise SystemExit(f"{where}: not a rosinality StyleGAN2 generator: expected key '{key}', found keys "
                             f"{sorted(state)[:8]}... (an NVlabs .pkl? use --nvlabs)")
    n_up = len({k.split(".")[1] for k in state if k.startswith("to_rgbs.")})
    size = 2 ** (n_up + 2)
    channels = {4: state["input.input"].shape[1]}
    for j in range(n_up):
        channels[2 ** (j + 3)] = state[f"convs.{2 * j}.conv.weight"].shape[1]
    w_dim = state["conv1.conv.modulation.weight"].shape[1]
    n_mlp = len([k for k in state if k.startswith("style.") and k.endswith(".weight")])
    z_dim = state["style.1.weight"].shape[1] if n_mlp else w_dim
    return size, channels, w_dim, z_dim, n_mlp


def check_expected(where, found, **expected):
    """Refuses a checkpoint that disagrees with what the user (or its own args) said."""
    wrong = [f"{k}: expected {v} ({src}), found {found[k]}" for k, (v, src) in expected.items()
             if v is not None and found[k] != v]
    if wrong:
        raise SystemExit(f"{where}: the checkpoint does not match: " + "; ".join(wrong))


def rosinality_standard_channels(size, m):
    base = {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * m, 128: 128 * m, 256: 64 * m, 512: 32 * m, 1024: 16 * m}
    return {r: c for r, c in base.items() if r <= size}


def load_rosinality(path, size=None, channel_multiplier=None):
    """(synthesis, mapping, description, raw g_ema state) from a rosinality checkpoint."""
    try:
        ckpt = torch.load(path, map_location="cpu")  # a pickle: load only checkpoints you trust
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] in ("torch_utils", "dnnlib"):
            raise SystemExit(f"{path}: expected a rosinality torch.save() checkpoint, found an NVlabs pickle (use --nvlabs)")
        raise
    if not isinstance(ckpt, dict):
        raise SystemExit(f"{path}: expected a dict saved by rosinality's train.py or convert_weight.py, "
                         f"found {type(ckpt).__name__}")
    state = ckpt.get("g_ema", ckpt)
    args = ckpt.get("args")
    found = dict(zip(("size", "channels", "w_dim", "z_dim", "n_mlp"), rosinality_dims(state, path)))
    a = vars(args) if args is not None and hasattr(args, "__dict__") else (args or {})
    check_expected(path, found, size=(size, "--size"))
    check_expected(path, found, size=(a.get("size"), "its args.size"), w_dim=(a.get("latent"), "its args.latent"),
                   n_mlp=(a.get("n_mlp"), "its args.n_mlp"))
    if channel_multiplier is not None and rosinality_standard_channels(found["size"], channel_multiplier) != found["channels"]:
        raise SystemExit(f"{path}: the checkpoint does not match: --channel-multiplier {channel_multiplier} means "
                         f"channels {rosinality_standard_channels(found['size'], channel_multiplier)}, found {found['channels']}")
    m = a.get("channel_multiplier")
    if m is not None and rosinality_standard_channels(found["size"], m) != found["channels"]:
        # forks that train small models edit model.py's channel table; the weights' shapes are what counts
        print(f"note: its args.channel_multiplier = {m} means channels {rosinality_standard_channels(found['size'], m)} "
              f"in rosinality's model.py, but the weights have {found['channels']} (an edited channel table?); "
              "exporting what the weights say")
    synth = Synthesis(found["size"], found["channels"], found["w_dim"])
    used = set()

    def take(key):
        if key not in state:
            raise SystemExit(f"{path}: expected key '{key}' for a {found['size']}px generator, not found")
        used.add(key)
        return state[key]

    def conv(dst, src):
        d = dst.conv
        wt = take(f"{src}.conv.weight")[0]
        in_ch = wt.shape[1]
        d.set(wt, 1 / math.sqrt(in_ch * wt.shape[2] * wt.shape[3]), take(f"{src}.conv.modulation.weight"),
              1 / math.sqrt(found["w_dim"]), take(f"{src}.conv.modulation.bias"))
        if hasattr(dst, "noise"):
            dst.noise.copy_(take(f"{src}.noise.weight").reshape(()) * take(f"noises.noise_{noise_index[0]}"))
            noise_index[0] += 1
            dst.bias.copy_(take(f"{src}.activate.bias").reshape(1, -1, 1, 1))
        else:
            dst.bias.copy_(take(f"{src}.bias").reshape(1, 3, 1, 1))

    noise_index = [0]
    with torch.no_grad():
        synth.const.copy_(take("input.input"))
        conv(synth.conv1, "conv1")
        conv(synth.to_rgb1, "to_rgb1")
        for j in range(len(synth.to_rgbs)):
            conv(synth.convs[2 * j], f"convs.{2 * j}")
            conv(synth.convs[2 * j + 1], f"convs.{2 * j + 1}")
            conv(synth.to_rgbs[j], f"to_rgbs.{j}")
    # Blur/Upsample keep their FIR kernels as buffers; they are expected, and must be StyleGAN2's.
    k4 = blur_kernel() * 4
    for key in state:
        if key.endswith("blur.kernel") or key.endswith("upsample.kernel"):
            if state[key].shape != k4.shape or (state[key].float() - k4).abs().max() > 1e-6:
                raise SystemExit(f"{path}: {key}: expected the [1,3,3,1] blur kernel x4, found {state[key].tolist()}")
            used.add(key)
    if a.get("lr_mlp") not in (None, 0.01):
        raise SystemExit(f"{path}: args.lr_mlp = {a['lr_mlp']}; only rosinality's default 0.01 is supported")
    mapping = Mapping(found["z_dim"], [tuple(state[f"style.{i}.weight"].shape) for i in range(1, found["n_mlp"] + 1)])
    with torch.no_grad():
        for i in range(1, found["n_mlp"] + 1):
            wt, b = take(f"style.{i}.weight"), take(f"style.{i}.bias")
            lr = 0.01  # rosinality's lr_mlp default: only the product weight*scale matters below
            getattr(mapping, f"w{i - 1}").copy_(wt * (lr / math.sqrt(wt.shape[1])))
            getattr(mapping, f"b{i - 1}").copy_(b * lr)
    left = sorted(set(state) - used)
    if left:
        raise SystemExit(f"{path}: unexpected keys in g_ema (not a StyleGAN2 generator layout this script knows): {left[:8]}")
    if "latent_avg" in ckpt and ckpt["latent_avg"] is not None:
        mapping.w_avg.copy_(ckpt["latent_avg"].float().reshape(-1))
        mapping.w_avg_source = "latent_avg"
    kind = "train.py checkpoint" if "g" in ckpt and "args" in ckpt else (
        "convert_weight.py conversion" if "latent_avg" in ckpt else "generator state dict")
    return synth, mapping, f"rosinality {kind} {os.path.basename(path)}", state


def load_nvlabs(path):
    """(synthesis, mapping, description, G_ema state) from an NVlabs pickle, without NVlabs' code."""
    import nvlabs_pickle
    import zipfile
    if zipfile.is_zipfile(path):
        raise SystemExit(f"{path}: expected an NVlabs pickle, found a torch.save() file (a rosinality "
                         "checkpoint? use --rosinality)")
    data = nvlabs_pickle.load(path)
    g = data.get("G_ema")
    if not isinstance(g, nvlabs_pickle.Persistent):
        raise SystemExit(f"{path}: expected an NVlabs snapshot with 'G_ema', found keys {sorted(data)}")
    s, m = g.child("synthesis"), g.child("mapping")
    if s is None or m is None:
        raise SystemExit(f"{path}: G_ema has no synthesis/mapping children: {sorted(g.children())}")
    if s.child("b4") is None:
        raise SystemExit(f"{path}: G_ema.synthesis ({s.class_name}) has no b4 block: not a StyleGAN2 synthesis "
                         f"network; children {sorted(s.children())[:6]} (alias-free StyleGAN3: use "
                         "datasets/models/stylegan3/)")
    if m.attr("c_dim", 0):
        raise SystemExit(f"{path}: conditional generator (c_dim = {m.attr('c_dim')}): not supported")
    size = s.attr("img_resolution")
    res = s.attr("block_resolutions") or [2 ** i for i in range(2, int(math.log2(size)) + 1)]
    w_dim = s.attr("w_dim")
    if s.attr("img_channels", 3) != 3:
        raise SystemExit(f"{path}: expected 3 image channels, found {s.attr('img_channels')}")
    channels = {}
    for r in res:
        b = s.child(f"b{r}")
        if b.attr("architecture", "skip") != "skip":
            raise SystemExit(f"{path}: block b{r}: architecture '{b.attr('architecture')}', only 'skip' (the "
                             "StyleGAN2 default) is supported")
        channels[r] = b.child("conv1").param("weight").shape[0]
        f = b.buffer("resample_filter")
        if f is not None and (f.shape != (4, 4) or (f.float() - blur_kernel()).abs().max() > 1e-6):
            raise SystemExit(f"{path}: b{r}: resample filter {f.tolist()}, expected [1,3,3,1]")
    synth = Synthesis(size, channels, w_dim)

    def conv(dst, layer):
        d = dst.conv
        wt = layer.param("weight")
        aff = layer.child("affine")
        a_gain = aff.attr("weight_gain", 1 / math.sqrt(w_dim))
        if hasattr(dst, "noise"):
            # NVlabs leaves the 1/sqrt(in*k*k) gain out: demodulation cancels it (up to the 1e-8 eps).
            d.set(wt, 1 / math.sqrt(wt.shape[1] * wt.shape[2] * wt.shape[3]), aff.param("weight"), a_gain,
                  aff.param("bias") * aff.attr("bias_gain", 1.0))
            if layer.attr("use_noise", True):
                dst.noise.copy_(layer.buffer("noise_const")[None, None] * layer.param("noise_strength"))
            dst.bias.copy_(layer.param("bias").reshape(1, -1, 1, 1))
            if layer.attr("activation", "lrelu") != "lrelu":
                raise SystemExit(f"{path}: activation '{layer.attr('activation')}', expected lrelu")
        else:
            d.set(wt, layer.attr("weight_gain", 1 / math.sqrt(wt.shape[1])), aff.param("weight"), a_gain,
                  aff.param("bias") * aff.attr("bias_gain", 1.0))
            dst.bias.copy_(layer.param("bias").reshape(1, 3, 1, 1))
        dst.clamp = layer.attr("conv_clamp")

    with torch.no_grad():
        b4 = s.child("b4")
        synth.const.copy_(b4.param("const")[None])
        conv(synth.conv1, b4.child("conv1"))
        conv(synth.to_rgb1, b4.child("torgb"))
        for j, r in enumerate(res[1:]):
            b = s.child(f"b{r}")
            conv(synth.convs[2 * j], b.child("conv0"))
            conv(synth.convs[2 * j + 1], b.child("conv1"))
            conv(synth.to_rgbs[j], b.child("torgb"))
    layers = [m.child(f"fc{i}") for i in range(m.attr("num_layers", 8))]
    mapping = Mapping(m.attr("z_dim"), [tuple(fc.param("weight").shape) for fc in layers])
    with torch.no_grad():
        for i, fc in enumerate(layers):
            if fc.attr("activation", "lrelu") != "lrelu":
                raise SystemExit(f"{path}: mapping.fc{i}: activation '{fc.attr('activation')}', expected lrelu")
            getattr(mapping, f"w{i}").copy_(fc.param("weight") * fc.attr("weight_gain"))
            getattr(mapping, f"b{i}").copy_(fc.param("bias") * fc.attr("bias_gain"))
        mapping.w_avg.copy_(m.buffer("w_avg"))
        mapping.w_avg_source = "buffer"
    return synth, mapping, f"NVlabs pickle {os.path.basename(path)} ({g.class_name})", nvlabs_pickle.state_dict(g)


# The small test network: 64^2, L = 10, few channels so the .onnx stays ~2 MB.
TEST_SIZE = 64
TEST_CHANNELS = {4: 64, 8: 64, 16: 48, 32: 32, 64: 32}
TEST_SEED = 2024
TEST_MAPPING_LAYERS = 2


def random_network(size, channels, seed, w_dim=512, n_mlp=8):
    """Random weights with rosinality's initialisation and non-zero noise strengths and biases (a
    trained network has them; the test should exercise them)."""
    torch.manual_seed(seed)
    synth = Synthesis(size, channels, w_dim)
    with torch.no_grad():
        synth.const.normal_()
        for layer in synth.styled_convs() + [synth.to_rgb1] + list(synth.to_rgbs):
            d = layer.conv
            out_ch, in_ch = d.out_ch, d.in_ch
            wt = torch.randn(out_ch, in_ch, d.k, d.k)
            gain = 1 / math.sqrt(in_ch * d.k * d.k) * (0.25 if isinstance(layer, ToRGB) else 1.0)
            d.set(wt, gain, torch.randn(in_ch, w_dim), 1 / math.sqrt(w_dim), torch.ones(in_ch))
            if isinstance(layer, StyledConv):
                layer.noise.copy_(0.1 * torch.randn_like(layer.noise))
                layer.bias.normal_(0, 0.1)
        mapping = Mapping(w_dim, [(w_dim, w_dim)] * n_mlp)
        for i in range(n_mlp):
            getattr(mapping, f"w{i}").copy_(torch.randn(w_dim, w_dim) / math.sqrt(w_dim))
    return synth, mapping


# --- Writing the ONNX files.

def add_metadata(model, meta):
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, str(v)


def save_onnx(model, path, external_data):
    """Writes to a temporary name and moves into place; with external_data the weights go to
    <name>.data beside it (needed above 2 GB, the protobuf limit)."""
    import onnx
    tmp = path + ".tmp"
    if external_data:
        data_name = os.path.basename(path) + ".data"
        if os.path.exists(os.path.join(os.path.dirname(path), data_name + ".tmp")):
            os.remove(os.path.join(os.path.dirname(path), data_name + ".tmp"))
        onnx.save_model(model, tmp, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data_name + ".tmp", size_threshold=1024)
        # the .onnx names its data file; rename the data, then rewrite the small graph with the final name
        os.replace(os.path.join(os.path.dirname(path), data_name + ".tmp"), os.path.join(os.path.dirname(path), data_name))
        m = onnx.load(tmp, load_external_data=False)
        for t in m.graph.initializer:
            for e in t.external_data:
                if e.key == "location":
                    e.value = data_name
        onnx.save_model(m, tmp)
    else:
        onnx.save_model(model, tmp)
        stale = path + ".data"
        if os.path.exists(stale):  # from an earlier --external-data export into the same folder
            os.remove(stale)
    os.replace(tmp, path)


def export_synthesis(synth, path, meta, external_data):
    import onnx
    probe = torch.zeros(1, synth.n_latent, synth.w_dim)  # batch 1: tracing a 1024^2 net at batch 3 costs GBs
    tmp = path + ".trace"
    torch.onnx.export(synth, (probe,), tmp, input_names=["w"], output_names=["image"],
                      dynamic_axes={"w": {0: "N"}, "image": {0: "N"}}, opset_version=17,
                      do_constant_folding=False)  # folding would store wsq beside each weight again
    model = onnx.load(tmp)
    os.remove(tmp)
    add_metadata(model, meta)
    if model.ByteSize() < 2 ** 31 - 1:  # the checker cannot take a larger proto in memory
        onnx.checker.check_model(model)
    save_onnx(model, path, external_data)


def export_mapping(mapping, path, num_ws):
    """mapping.onnx built node by node (small, exact): z -> (w, w_avg)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    inits = [numpy_helper.from_array(np.array([1e-8], np.float32), "eps"),
             numpy_helper.from_array(np.array([SQRT2], np.float32), "sqrt2"),
             numpy_helper.from_array(mapping.w_avg.numpy().astype(np.float32), "w_avg_value")]
    nodes = [helper.make_node("Mul", ["z", "z"], ["z2"]),
             helper.make_node("ReduceMean", ["z2"], ["ms"], axes=[1], keepdims=1),
             helper.make_node("Add", ["ms", "eps"], ["ms_eps"]),
             helper.make_node("Sqrt", ["ms_eps"], ["rms"]),
             helper.make_node("Div", ["z", "rms"], ["x0"])]
    for i in range(mapping.n):
        inits += [numpy_helper.from_array(getattr(mapping, f"w{i}").numpy().astype(np.float32), f"fc{i}.weight"),
                  numpy_helper.from_array(getattr(mapping, f"b{i}").numpy().astype(np.float32), f"fc{i}.bias")]
        out = "w" if i == mapping.n - 1 else f"x{i + 1}"
        nodes += [helper.make_node("Gemm", [f"x{i}", f"fc{i}.weight", f"fc{i}.bias"], [f"y{i}"], transB=1),
                  helper.make_node("LeakyRelu", [f"y{i}"], [f"a{i}"], alpha=0.2),
                  helper.make_node("Mul", [f"a{i}", "sqrt2"], [out])]
    nodes.append(helper.make_node("Identity", ["w_avg_value"], ["w_avg"]))
    graph = helper.make_graph(
        nodes, "mapping", [helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", mapping.z_dim])],
        [helper.make_tensor_value_info("w", TensorProto.FLOAT, ["N", mapping.w_dim]),
         helper.make_tensor_value_info("w_avg", TensorProto.FLOAT, [mapping.w_dim])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="latentmotion")
    add_metadata(model, {"latentmotion.kind": "mapping", "latentmotion.num_ws": num_ws,
                         "latentmotion.w_avg_source": mapping.w_avg_source,
                         "latentmotion.z_dim": mapping.z_dim, "latentmotion.w_dim": mapping.w_dim})
    onnx.checker.check_model(model)
    save_onnx(model, path, external_data=False)


def reference_codes(mapping, n_layers, seed, batch=3):
    """z [batch, z_dim], its mapped w, and W+ codes [batch, L, w_dim] in which every layer has its
    own mapped z (codes of the model's own distribution, and a layer mix-up would show)."""
    g = torch.Generator().manual_seed(seed + 1)
    z = torch.randn(batch, mapping.z_dim, generator=g)
    z_layers = torch.randn(batch * n_layers, mapping.z_dim, generator=g)
    with torch.no_grad():
        return z, mapping(z), mapping(z_layers).reshape(batch, n_layers, mapping.w_dim)


def self_check(out_dir, mapping, synth, z, w, w_plus, image):
    """Runs both ONNX files on ONNX Runtime and compares with the PyTorch module's outputs."""
    from onnx_check import run_onnx_with_java
    t = time.time()
    m = run_onnx_with_java(os.path.join(out_dir, "mapping.onnx"), {"z": z.numpy()})
    s = run_onnx_with_java(os.path.join(out_dir, "stylegan2.onnx"), {"w": w_plus.numpy()})
    diffs = {"mapping w": float(np.abs(m["w"] - w.numpy()).max()),
             "mapping w_avg": float(np.abs(m["w_avg"] - mapping.w_avg.numpy()).max()),
             "synthesis image": float(np.abs(s["image"] - image.numpy()).max())}
    for k, v in diffs.items():
        print(f"self-check (ONNX Runtime vs PyTorch, {len(z)} mapped codes): {k}: max |diff| = {v:.2e}")
    print(f"self-check took {time.time() - t:.1f} s")
    return diffs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--random", action="store_true", help="small random-weight network (tests)")
    src.add_argument("--rosinality", metavar="CKPT", help="rosinality stylegan2-pytorch .pt (train.py or convert_weight.py)")
    src.add_argument("--nvlabs", metavar="PKL", help="NVlabs stylegan2-ada-pytorch / stylegan3 (cfg stylegan2) .pkl")
    p.add_argument("--size", type=int, help="optional: refuse the checkpoint unless its resolution is this")
    p.add_argument("--channel-multiplier", type=int, help="optional (rosinality): refuse unless its channels match")
    p.add_argument("--rosinality-repo", help="optional: clone of rosinality/stylegan2-pytorch, to cross-check")
    p.add_argument("--nvlabs-repo", help="optional: clone of the NVlabs repo (dnnlib, torch_utils), to cross-check")
    p.add_argument("--random-size", type=int, default=TEST_SIZE, help="--random: resolution (default 64)")
    p.add_argument("--random-channel-multiplier", type=int,
                   help="--random: rosinality's channel table with this multiplier instead of the small test one")
    p.add_argument("--w-avg-samples", type=int, default=100_000,
                   help="mapped z averaged for w_avg when the checkpoint has none (default 100000)")
    p.add_argument("--external-data", action="store_true", help="weights in stylegan2.onnx.data beside the .onnx")
    p.add_argument("--no-check", action="store_true", help="skip the ONNX Runtime self-check")
    p.add_argument("--seed", type=int, default=TEST_SEED)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    torch.set_grad_enabled(False)

    if a.random:
        if a.random_channel_multiplier:
            channels = rosinality_standard_channels(a.random_size, a.random_channel_multiplier)
        elif a.random_size == TEST_SIZE:
            channels = TEST_CHANNELS
        else:
            raise SystemExit("--random-size other than 64 needs --random-channel-multiplier")
        # the shipped test network keeps a 2-layer mapping (2 MB instead of 8 MB in git); sized ones get 8
        synth, mapping = random_network(a.random_size, channels, a.seed,
                                        n_mlp=8 if a.random_channel_multiplier else TEST_MAPPING_LAYERS)
        source = f"random weights, seed {a.seed} (test network, not trained)"
        original = None
    elif a.rosinality:
        synth, mapping, source, original = load_rosinality(a.rosinality, a.size, a.channel_multiplier)
    else:
        synth, mapping, source, original = load_nvlabs(a.nvlabs)
        if a.size and a.size != synth.size:
            raise SystemExit(f"{a.nvlabs}: the checkpoint does not match: size: expected {a.size} (--size), found {synth.size}")
    synth.eval(), mapping.eval()
    if mapping.w_avg_source is None:
        mapping.w_avg.copy_(mapping.mean_w(a.w_avg_samples, seed=a.seed))
        mapping.w_avg_source = f"mean of {a.w_avg_samples} mapped z (seed {a.seed})"

    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    meta = {"latentmotion.range": "-1,1", "latentmotion.architecture": "stylegan2",
            "latentmotion.source": source, "latentmotion.num_ws": synth.n_latent,
            "latentmotion.channels": json.dumps(synth.channels)}
    onnx_path = os.path.join(a.out, "stylegan2.onnx")
    export_synthesis(synth, onnx_path, meta, a.external_data)
    export_mapping(mapping, os.path.join(a.out, "mapping.onnx"), synth.n_latent)
    size_mb = sum(os.path.getsize(os.path.join(a.out, f)) for f in os.listdir(a.out)
                  if f.startswith("stylegan2.onnx")) / 1e6
    print(f"exported {onnx_path}: w [N, {synth.n_latent}, {synth.w_dim}] -> image [N, 3, {synth.size}, {synth.size}], "
          f"{size_mb:.2f} MB{' (with external data)' if a.external_data else ''}; mapping.onnx: z [N, {mapping.z_dim}] "
          f"-> w [N, {mapping.w_dim}], w_avg from {mapping.w_avg_source}; {time.time() - t0:.1f} s")

    z, w, w_plus = reference_codes(mapping, synth.n_latent, a.seed)
    # one code at a time: at 1024^2 a batch of 3 would hold ~1 GB more activations at once
    image = torch.cat([synth(w_plus[i:i + 1]) for i in range(len(w_plus))])
    for name, arr in (("reference_z", z), ("reference_mapped_w", w), ("reference_w", w_plus), ("reference_image", image)):
        np.save(os.path.join(a.out, name + ".npy"), arr.numpy().astype(np.float32))
    info = dict(source=source, layers=synth.n_latent, resolution=synth.size, w_dim=synth.w_dim, z_dim=mapping.z_dim,
                channels=synth.channels, w_avg_source=mapping.w_avg_source, stylegan2_onnx_mb=round(size_mb, 2),
                reference_w="each layer of each sample is the mapped w of its own z (seed %d)" % (a.seed + 1))
    if a.rosinality_repo or a.nvlabs_repo:
        info["cross_check_max_abs_diff"] = cross_check(a, synth, mapping, z, w, w_plus, image, original)
    status = 0
    if a.no_check:
        print("self-check skipped (--no-check)")
    else:
        from onnx_check import OnnxCheckUnavailable
        try:
            diffs = self_check(a.out, mapping, synth, z, w, w_plus, image)
        except OnnxCheckUnavailable as e:
            print(f"SELF-CHECK NOT RUN: {e}. Build the toolkit once (mvn -o compile) or pass --no-check.",
                  file=sys.stderr)
            return 4
        info["self_check_max_abs_diff"] = diffs
        worst = max(diffs.values())
        if not worst <= TOLERANCE:
            print(f"SELF-CHECK FAILED: max |diff| {worst:.2e} > {TOLERANCE:.0e}", file=sys.stderr)
            status = 3
    with open(os.path.join(a.out, "stylegan2.json"), "w") as f:
        json.dump(info, f, indent=2)
    return status


def cross_check(a, synth, mapping, z, w, w_plus, image, state):
    """Renders the same codes through the ORIGINAL generator code (the user's clone)."""
    if a.rosinality_repo:
        import rosinality_ops
        rosinality_ops.install()  # their op/ builds CUDA at import; pure-torch stand-ins instead
        sys.path.insert(0, os.path.abspath(os.path.expanduser(a.rosinality_repo)))
        from model import Generator
        m = next((m for m in (1, 2, 4, 8) if rosinality_standard_channels(synth.size, m) == synth.channels), None)
        if m is None:
            print(f"cross-check skipped: channels {synth.channels} are not rosinality's table for any multiplier")
            return None
        g = Generator(synth.size, synth.w_dim, mapping.n, channel_multiplier=m)
        g.load_state_dict(state, strict=True)
        g.eval()
        noise = [getattr(g.noises, f"noise_{i}") for i in range(g.num_layers)]
        orig, _ = g([w_plus], input_is_latent=True, noise=noise, randomize_noise=False)
        orig_w = g.style(z)
    else:
        sys.path.insert(0, os.path.abspath(os.path.expanduser(a.nvlabs_repo)))
        import pickle
        with open(a.nvlabs, "rb") as f:
            g = pickle.load(f)["G_ema"].float().eval()
        orig = g.synthesis(w_plus, noise_mode="const", force_fp32=True)
        orig_w = g.mapping(z, None)[:, 0]
    diffs = {"image": float((orig - image).abs().max()), "mapping w": float((orig_w - w).abs().max())}
    print(f"cross-check against the original generator code: {diffs}")
    return diffs


if __name__ == "__main__":
    sys.exit(main())
