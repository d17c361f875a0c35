#!/usr/bin/python3
"""Export a pixel2style2pixel (pSp) or encoder4editing (e4e) checkpoint (images -> W+ codes) to ONNX.

Interface of the exported graph (what latentmotion's Encoder reads):

    input  "image" float32 [N, C, S, S]   C = the checkpoint's input_nc (3 for faces), S = --size (256)
    output "w"     float32 [N, L, 512]    W+ codes as the StyleGAN decoder receives them:
                                          latent_avg added when the checkpoint says so, a single W
                                          code (W encoders) broadcast to all L layers
    metadata latentmotion.range = "-1,1"  the INPUT pixel range: pSp/e4e normalise with mean 0.5,
                                          std 0.5 (their transforms); "0,1" for pSp's sketch and
                                          segmentation data sets, whose inputs are not normalised
             latentmotion.kind  = "encoder"

The checkpoint is read WITHOUT the authors' repositories: this file defines the encoders in plain
PyTorch (the IR / IR-SE ResNet-50/100/152 body, pSp's GradualStyleEncoder with its feature pyramid
and map2style heads, the two Backbone* encoders, e4e's Encoder4Editing and its single-code encoder)
with the same state-dict names as theirs, and follows their forward semantics. --psp-repo or
--e4e-repo additionally runs THEIR pSp module on the same images as a cross-check (their CUDA op
imports are replaced by cpu_ops.py, so that works on a CPU-only machine too).

Every export checks itself: the ONNX file is run on ONNX Runtime (through the toolkit's Java
RunOnnx, datasets/models/onnx_check.py) on a few random images and compared with the PyTorch
module; the max difference is printed and the script exits 1 if it exceeds 1e-4.

Usage (Debian's torch, CPU):
  /usr/bin/python3 datasets/models/psp/psp_onnx.py --checkpoint psp_ffhq_encode.pt --out my-encoder
  /usr/bin/python3 datasets/models/psp/psp_onnx.py --checkpoint e4e_ffhq_encode.pt --out my-e4e \
      --e4e-repo ~/src/encoder4editing            # optional cross-check against their code
  /usr/bin/python3 datasets/models/psp/psp_onnx.py --random --out datasets/models/psp   # small test encoder
"""
import argparse
import json
import math
import os
import sys
import time
import warnings
from argparse import Namespace

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STYLE_DIM = 512
HERE = os.path.dirname(os.path.abspath(__file__))
MAX_DIFF = 1e-4
# torch 1.13's exporter warns once per pass about prim::Constant shape inference; harmless here
warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")

# ResNet-IR bodies as the encoders' helpers define them: units per stage, widths 64/128/256/512,
# the first unit of each stage strides by 2. Depth is read from the checkpoint (24/49/50 units).
STAGE_UNITS = {50: (3, 4, 14, 3), 100: (3, 13, 30, 3), 152: (3, 8, 36, 3)}
STAGE_WIDTHS = (64, 128, 256, 512)


class CheckpointMismatch(Exception):
    """The checkpoint is not what its options (or the known architectures) say; the message says what differs."""


# ---------------------------------------------------------------------------------------------------------------
# The architectures, written from the papers' structure; attribute names follow the state dicts the
# public code saves (input_layer.*, body.K.res_layer.*, styles.I.convs.*, latlayer1/2, linear, ...).

class SEModule(nn.Module):
    """Squeeze-and-excitation: channel gates from the global mean (1x1 convs, reduction 16, no bias)."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, channels // reduction, 1, bias=False)
        self.fc2 = nn.Conv2d(channels // reduction, channels, 1, bias=False)

    def forward(self, x):
        g = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean(dim=(2, 3), keepdim=True)))))
        return x * g


class IRUnit(nn.Module):
    """Improved-residual unit: BN, 3x3 conv, PReLU, 3x3 conv (strided), BN [, SE] plus a shortcut.

    The shortcut is a strided identity (a 1x1 max-pool, as theirs) when widths match, else 1x1 conv + BN."""

    def __init__(self, in_ch, depth, stride, se):
        super().__init__()
        self.stride = stride
        if in_ch == depth:
            self.shortcut_layer = nn.MaxPool2d(1, stride)
        else:
            self.shortcut_layer = nn.Sequential(nn.Conv2d(in_ch, depth, 1, stride, bias=False), nn.BatchNorm2d(depth))
        layers = [nn.BatchNorm2d(in_ch), nn.Conv2d(in_ch, depth, 3, 1, 1, bias=False), nn.PReLU(depth),
                  nn.Conv2d(depth, depth, 3, stride, 1, bias=False), nn.BatchNorm2d(depth)]
        if se:
            layers.append(SEModule(depth))
        self.res_layer = nn.Sequential(*layers)

    def forward(self, x):
        return self.res_layer(x) + self.shortcut_layer(x)


def make_body(depth, se):
    units = []
    in_ch = STAGE_WIDTHS[0]
    for n, width in zip(STAGE_UNITS[depth], STAGE_WIDTHS):
        for u in range(n):
            units.append(IRUnit(in_ch, width, 2 if u == 0 else 1, se))
            in_ch = width
    return nn.Sequential(*units)


def stage_ends(depth):
    """Indices of the last unit of stages 2, 3, 4 (6, 20, 23 at depth 50: the pyramid taps)."""
    ends, i = [], -1
    for n in STAGE_UNITS[depth]:
        i += n
        ends.append(i)
    return ends[1:]


class EqualLinear(nn.Module):
    """StyleGAN2's equalised linear layer (no activation): x @ (weight / sqrt(in) * lr_mul).T + bias * lr_mul."""

    def __init__(self, in_dim, out_dim, lr_mul=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(out_dim, in_dim))
        self.bias = nn.Parameter(torch.zeros(out_dim))
        self.scale = lr_mul / math.sqrt(in_dim)
        self.lr_mul = lr_mul

    def forward(self, x):
        # weight * scale is folded into one initializer at export (no weight stored twice)
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)


class GradualStyleBlock(nn.Module):
    """map2style: log2(spatial) stride-2 3x3 convs with LeakyReLU(0.01) down to 1x1, then an EqualLinear."""

    def __init__(self, spatial):
        super().__init__()
        layers = []
        for _ in range(int(math.log2(spatial))):
            layers += [nn.Conv2d(STYLE_DIM, STYLE_DIM, 3, 2, 1), nn.LeakyReLU(0.01)]
        self.convs = nn.Sequential(*layers)
        self.linear = EqualLinear(STYLE_DIM, STYLE_DIM)

    def forward(self, x):
        return self.linear(self.convs(x).flatten(1))


def upsample_add(x, y):
    """Bilinear (align_corners=True) upsampling of x to y's size, plus y: the feature-pyramid merge."""
    return F.interpolate(x, size=(y.shape[2], y.shape[3]), mode="bilinear", align_corners=True) + y


class Stem(nn.Module):
    def __init__(self, input_nc, depth, se):
        super().__init__()
        self.input_layer = nn.Sequential(nn.Conv2d(input_nc, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.PReLU(64))
        self.body = make_body(depth, se)


class GradualStyleEncoder(Stem):
    """pSp's encoder: pyramid taps c1 (S/4, 128 ch), c2 (S/8, 256), c3 (S/16, 512); coarse heads 0-2 read
    c3, middle heads 3-6 read p2 = up(c3) + lat1(c2), fine heads read p1 = up(p2) + lat2(c1)."""

    coarse_ind, middle_ind = 3, 7

    def __init__(self, input_nc, depth, se, n_styles):
        super().__init__(input_nc, depth, se)
        self.n_styles = n_styles
        self.styles = nn.ModuleList(GradualStyleBlock(16 if i < self.coarse_ind else 32 if i < self.middle_ind else 64)
                                    for i in range(n_styles))
        self.latlayer1 = nn.Conv2d(256, 512, 1)
        self.latlayer2 = nn.Conv2d(128, 512, 1)
        self.taps = stage_ends(depth)

    def pyramid(self, x):
        x = self.input_layer(x)
        feats = []
        for i, unit in enumerate(self.body):
            x = unit(x)
            if i in self.taps:
                feats.append(x)
            if i == self.taps[-1]:
                break  # their forward runs the remaining units too, but nothing reads them
        return feats  # c1, c2, c3

    def forward(self, x):
        c1, c2, c3 = self.pyramid(x)
        p2 = upsample_add(c3, self.latlayer1(c2)) if self.n_styles > self.coarse_ind else None
        p1 = upsample_add(p2, self.latlayer2(c1)) if self.n_styles > self.middle_ind else None
        codes = [head(c3 if i < self.coarse_ind else p2 if i < self.middle_ind else p1)
                 for i, head in enumerate(self.styles)]
        return torch.stack(codes, dim=1)


class Encoder4Editing(GradualStyleEncoder):
    """e4e: one code w0 from head 0 (on c3), every other layer i gets w0 + delta_i from head i.

    Theirs writes w0 into all layers and adds the deltas in place; w0 + delta_i per layer is the same sum."""

    def forward(self, x):
        c1, c2, c3 = self.pyramid(x)
        w0 = self.styles[0](c3)
        codes, features = [w0], c3
        for i in range(1, self.n_styles):
            if i == self.coarse_ind:
                p2 = upsample_add(c3, self.latlayer1(c2))
                features = p2
            elif i == self.middle_ind:
                features = upsample_add(p2, self.latlayer2(c1))
            codes.append(w0 + self.styles[i](features))
        return torch.stack(codes, dim=1)


class BackboneEncoderUsingLastLayerIntoW(Stem):
    """One W code: body, global average pool, EqualLinear; broadcast to all layers (as the decoder does)."""

    def __init__(self, input_nc, depth, se, n_styles):
        super().__init__(input_nc, depth, se)
        self.n_styles = n_styles
        self.linear = EqualLinear(512, 512)

    def forward(self, x):
        x = self.body(self.input_layer(x)).mean(dim=(2, 3))
        return self.linear(x).unsqueeze(1).expand(-1, self.n_styles, -1)


class AdaptiveAvgPool(nn.Module):
    """AdaptiveAvgPool2d(out) as two averaging matrices (bins [floor(i*H/o), ceil((i+1)*H/o)) like
    PyTorch's), so it exports to ONNX when H is not a multiple of o (16 -> 7 at S = 256)."""

    def __init__(self, out, size):
        super().__init__()
        m = torch.zeros(out, size)
        for i in range(out):
            a, b = (i * size) // out, -((-(i + 1) * size) // out)
            m[i, a:b] = 1.0 / (b - a)
        self.register_buffer("pool", m, persistent=False)

    def forward(self, x):
        return torch.matmul(torch.matmul(self.pool, x), self.pool.t())


class BackboneEncoderUsingLastLayerIntoWPlus(Stem):
    """pSp's W+ backbone: body, BN, 7x7 adaptive average pool, Linear(512*49, 512), EqualLinear to L codes."""

    def __init__(self, input_nc, depth, se, n_styles, size):
        super().__init__(input_nc, depth, se)
        self.n_styles = n_styles
        self.output_layer_2 = nn.Sequential(nn.BatchNorm2d(512), AdaptiveAvgPool(7, size // 16), nn.Flatten(),
                                            nn.Linear(512 * 7 * 7, 512))
        self.linear = EqualLinear(512, 512 * n_styles)

    def forward(self, x):
        x = self.output_layer_2(self.body(self.input_layer(x)))
        return self.linear(x).reshape(-1, self.n_styles, STYLE_DIM)


class WithLatentAvg(nn.Module):
    """The encoder followed by `+ latent_avg` (per layer, or one vector for all), as pSp/e4e forward do."""

    def __init__(self, encoder, latent_avg):
        super().__init__()
        self.encoder = encoder
        if latent_avg is None:
            self.latent_avg = None
        else:
            self.register_buffer("latent_avg", latent_avg.reshape(1, -1, STYLE_DIM).clone())

    def forward(self, image):
        w = self.encoder(image)
        return w if self.latent_avg is None else w + self.latent_avg


# ---------------------------------------------------------------------------------------------------------------
# Reading a checkpoint: which repository wrote it, which encoder, how many styles, and the latent_avg rule.

PSP_TYPES = ("GradualStyleEncoder", "BackboneEncoderUsingLastLayerIntoW", "BackboneEncoderUsingLastLayerIntoWPlus")
E4E_TYPES = ("GradualStyleEncoder", "Encoder4Editing", "SingleStyleCodeEncoder")
ZERO_ONE_DATASETS = ("sketch", "seg")  # pSp's sketch/segmentation transforms feed ToTensor() output, not normalised


def n_styles_for(size):
    return int(math.log2(size)) * 2 - 2


def describe(ckpt):
    """Plan of the export from the checkpoint's opts and state dict; raises CheckpointMismatch with expected vs found."""
    if not isinstance(ckpt, dict) or "state_dict" not in ckpt or "opts" not in ckpt:
        found = sorted(ckpt.keys()) if isinstance(ckpt, dict) else type(ckpt).__name__
        raise CheckpointMismatch("expected a pSp/e4e training checkpoint, a dict with 'state_dict' and 'opts' "
                                 f"(and 'latent_avg' when trained with start_from_latent_avg), found {found}")
    opts = dict(ckpt["opts"]) if not isinstance(ckpt["opts"], Namespace) else vars(ckpt["opts"])
    enc = {k[len("encoder."):]: v for k, v in ckpt["state_dict"].items() if k.startswith("encoder.")}
    if not enc:
        raise CheckpointMismatch("expected 'encoder.*' weights in the state dict, found none (keys start with "
                                 f"{sorted({k.split('.')[0] for k in ckpt['state_dict']})})")
    notes = []
    e4e = "stylegan_size" in opts or opts.get("encoder_type") in ("Encoder4Editing", "SingleStyleCodeEncoder")
    if e4e:
        framework, types = "e4e", E4E_TYPES
        encoder_type = opts.get("encoder_type", "Encoder4Editing")
        size = int(opts.get("stylegan_size", 1024))
        n_styles = n_styles_for(size)
        size_key = f"stylegan_size {size}"
    else:
        framework, types = "pSp", PSP_TYPES
        encoder_type = opts.get("encoder_type", "GradualStyleEncoder")
        # pSp always recomputes n_styles from output_size (models/psp.py); its inference script
        # defaults output_size to 1024 for checkpoints that predate the option
        size = int(opts.get("output_size", 1024))
        n_styles = n_styles_for(size)
        size_key = f"output_size {size}"
        if "output_size" not in opts:
            notes.append("opts lack output_size: 1024 assumed, as pSp's inference script does")
        if "n_styles" in opts and int(opts["n_styles"]) != n_styles:
            notes.append(f"opts say n_styles {opts['n_styles']}, but pSp derives {n_styles} from {size_key}")
    if encoder_type not in types:
        raise CheckpointMismatch(f"{framework} checkpoint: expected encoder_type one of {list(types)}, "
                                 f"found '{encoder_type}'")

    # the body, from the state dict itself: IR or IR-SE, depth from the number of units, input channels
    units = 1 + max(int(k.split(".")[1]) for k in enc if k.startswith("body."))
    depth = {sum(v): d for d, v in STAGE_UNITS.items()}.get(units)
    if depth is None:
        raise CheckpointMismatch(f"expected an IR ResNet body of {sorted(sum(v) for v in STAGE_UNITS.values())} "
                                 f"units (depth 50/100/152), found {units} units (encoder.body.0-{units - 1})")
    se = any(".res_layer.5.fc1." in k for k in enc)
    w_in = enc.get("input_layer.0.weight")
    if w_in is None:
        raise CheckpointMismatch("expected encoder.input_layer.0.weight, found no such key")
    input_nc = int(w_in.shape[1])
    if "input_nc" in opts and int(opts["input_nc"]) != input_nc and not e4e:
        raise CheckpointMismatch(f"opts say input_nc {opts['input_nc']}, found {input_nc} input channels in "
                                 "encoder.input_layer.0.weight")
    if encoder_type in ("GradualStyleEncoder", "Encoder4Editing") and depth != 50:
        raise CheckpointMismatch(f"{encoder_type} taps body units 6, 20 and 23 (128/256/512 channels only at depth 50); "
                                 f"found a depth-{depth} body, which their forward cannot run either")

    # styles in the state dict must agree with the decoder size in opts
    if encoder_type in ("GradualStyleEncoder", "Encoder4Editing"):
        heads = len({k.split(".")[1] for k in enc if k.startswith("styles.")})
        if heads != n_styles:
            raise CheckpointMismatch(f"{framework} {encoder_type}: expected {n_styles} map2style heads "
                                     f"(encoder.styles.0-{n_styles - 1}, from {size_key}), found {heads}")
    if encoder_type == "BackboneEncoderUsingLastLayerIntoWPlus":
        rows = int(enc["linear.weight"].shape[0]) if "linear.weight" in enc else -1
        if rows != STYLE_DIM * n_styles:
            raise CheckpointMismatch(f"BackboneEncoderUsingLastLayerIntoWPlus: expected encoder.linear.weight with "
                                     f"{STYLE_DIM * n_styles} rows ({n_styles} styles from {size_key}), found {rows}")

    # latent_avg: added only when the checkpoint was trained with start_from_latent_avg
    if "start_from_latent_avg" in opts:
        start_avg = bool(opts["start_from_latent_avg"])
    else:
        start_avg = "latent_avg" in ckpt  # their coaches save latent_avg exactly when the option is set
        notes.append(f"opts lack start_from_latent_avg: {start_avg} assumed (latent_avg "
                     f"{'present' if start_avg else 'absent'}, which their coaches save only with the option)")
    latent_avg = None
    if start_avg:
        if ckpt.get("latent_avg") is None:
            raise CheckpointMismatch(f"opts say start_from_latent_avg, expected a 'latent_avg' entry, found none "
                                     "(e4e would estimate one from 10,000 random samples of its decoder's mapping "
                                     "network; export it from that StyleGAN and add it to the checkpoint)")
        latent_avg = ckpt["latent_avg"].detach().float().cpu().reshape(-1, STYLE_DIM)
        if latent_avg.shape[0] not in (1, n_styles):
            raise CheckpointMismatch(f"expected latent_avg of shape [512], [1, 512] or [{n_styles}, 512], "
                                     f"found {list(ckpt['latent_avg'].shape)}")
    elif ckpt.get("latent_avg") is not None:
        notes.append("checkpoint holds latent_avg but start_from_latent_avg is off: not added, as their forward")
    dataset = str(opts.get("dataset_type", ""))
    value_range = "0,1" if any(s in dataset for s in ZERO_ONE_DATASETS) else "-1,1"
    return dict(framework=framework, encoder_type=encoder_type, n_styles=n_styles, depth=depth,
                mode="ir_se" if se else "ir", input_nc=input_nc, latent_avg=latent_avg, state=enc,
                dataset_type=dataset, range=value_range, notes=notes, size_key=size_key,
                learn_in_w=bool(opts.get("learn_in_w", False)))


def build(plan, size):
    t, args = plan["encoder_type"], (plan["input_nc"], plan["depth"], plan["mode"] == "ir_se", plan["n_styles"])
    if t in ("GradualStyleEncoder", "Encoder4Editing") and size > 256:
        # their map2style heads reduce S/16, S/8, S/4 maps to 1x1 in log2(16/32/64) steps and then
        # view(-1, 512): above 256 the maps do not reach 1x1 and their view mixes batch and space
        raise CheckpointMismatch(f"{t}: expected --size <= 256 (its heads reduce S/16 to 1x1 in 4 steps), found {size}")
    if size % 16 or size < 16:
        raise CheckpointMismatch(f"expected --size a multiple of 16 (the body halves the image 4 times), found {size}")
    if t == "GradualStyleEncoder":
        enc = GradualStyleEncoder(*args)
    elif t == "Encoder4Editing":
        enc = Encoder4Editing(*args)
    elif t in ("BackboneEncoderUsingLastLayerIntoW", "SingleStyleCodeEncoder"):
        enc = BackboneEncoderUsingLastLayerIntoW(*args)
    else:
        enc = BackboneEncoderUsingLastLayerIntoWPlus(*args, size)
    load_strict(enc, plan["state"], t)
    return WithLatentAvg(enc, plan["latent_avg"]).eval()


def load_strict(module, state, what):
    own = module.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    shapes = [f"{k}: expected {list(own[k].shape)}, found {list(state[k].shape)}"
              for k in own if k in state and own[k].shape != state[k].shape]
    if missing or unexpected or shapes:
        parts = []
        if missing:
            parts.append(f"{len(missing)} expected weights missing (e.g. encoder.{', encoder.'.join(missing[:4])})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected (e.g. encoder.{', encoder.'.join(unexpected[:4])})")
        if shapes:
            parts.append(f"{len(shapes)} of another shape (e.g. encoder.{'; encoder.'.join(shapes[:3])})")
        raise CheckpointMismatch(f"{what}: the state dict does not match: " + "; ".join(parts))
    module.load_state_dict(state, strict=True)


# ---------------------------------------------------------------------------------------------------------------
# Their code, for the optional cross-check.

def their_codes(repo, ckpt_path, ckpt, x):
    """W+ codes from THEIR pSp module (pSp or e4e repository): net(x, return_latents=True)'s latent."""
    sys.path.insert(0, HERE)
    import cpu_ops
    import types
    sys.path.insert(0, os.path.abspath(os.path.expanduser(repo)))
    cpu_ops.install("models.stylegan2.op")  # their op/ package compiles CUDA at import
    if "matplotlib" not in sys.modules:
        try:
            import matplotlib  # noqa: F401  (models/psp.py only selects a backend)
        except ImportError:
            mpl = types.ModuleType("matplotlib")
            mpl.use = lambda *a, **k: None
            sys.modules["matplotlib"] = mpl
    from models.psp import pSp
    opts = dict(ckpt["opts"])
    opts.update(checkpoint_path=os.path.abspath(ckpt_path), device="cpu")
    opts.setdefault("learn_in_w", False)  # as their inference script does for old checkpoints
    opts.setdefault("output_size", 1024)
    net = pSp(Namespace(**opts)).eval()
    with torch.no_grad():
        _, codes = net(x, resize=False, randomize_noise=False, return_latents=True)
    del net
    return codes


# ---------------------------------------------------------------------------------------------------------------
# Export and self-check.

def run_onnx(path, x):
    """ONNX Runtime's output for `x`: the toolkit's Java runner if present, else onnx.reference."""
    sys.path.insert(0, os.path.dirname(HERE))
    try:
        from onnx_check import run_onnx_with_java
    except ImportError:
        run_onnx_with_java = None
    if run_onnx_with_java is not None:
        try:
            return run_onnx_with_java(path, {"image": x})["w"], "ONNX Runtime (Java RunOnnx, or onnx_check's fallback)"
        except Exception as e:  # OnnxCheckUnavailable, or RunOnnx failing on the model
            raise SystemExit(f"psp_onnx.py: cannot check the export {path}: {e}")
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        raise SystemExit("psp_onnx.py: cannot check the export: neither datasets/models/onnx_check.py (runs ONNX "
                         "Runtime through the toolkit's Java RunOnnx) nor onnx.reference (onnx >= 1.13) is available")
    return ReferenceEvaluator(path).run(None, {"image": x})[0], "onnx.reference"


def export(net, size, input_nc, out_dir, name, meta, sidecar, seed, n_check=2, ref_files=False, cross=None):
    os.makedirs(out_dir, exist_ok=True)
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n_check, input_nc, size, size, generator=g) * 2 - 1
    with torch.no_grad():
        ref = net(x)
    layers = int(ref.shape[1])
    path = os.path.join(out_dir, name + ".onnx")
    tmp = path + ".tmp"
    t0 = time.time()
    # export into memory, add the metadata, write once (a second load/save round trip of a
    # 0.5-1 GB model costs as much time as the export itself)
    import io
    import onnx
    buf = io.BytesIO()
    torch.onnx.export(net, (x[:1],), buf, input_names=["image"], output_names=["w"],
                      dynamic_axes={"image": {0: "N"}, "w": {0: "N"}}, opset_version=17, do_constant_folding=True)
    model = onnx.load_from_string(buf.getvalue())
    del buf
    for k, v in meta.items():
        e = model.metadata_props.add()
        e.key, e.value = k, str(v)
    onnx.save(model, tmp)
    del model
    onnx.checker.check_model(tmp)  # by path: the C++ checker reads the file itself
    os.replace(tmp, path)
    export_s = time.time() - t0
    size_mb = os.path.getsize(path) / 1e6
    params_mb = sum(p.numel() for p in net.parameters()) * 4 / 1e6
    print(f"exported {path}: image [N, {input_nc}, {size}, {size}] -> w [N, {layers}, {STYLE_DIM}], "
          f"{size_mb:.1f} MB (parameters {params_mb:.1f} MB), {export_s:.1f} s")

    failed = False
    if cross is not None:
        d = float((cross - ref).abs().max())
        print(f"cross-check: this module vs their pSp module, max |diff| = {d:.2e} on {n_check} images")
        failed |= not d <= MAX_DIFF
    got, runner = run_onnx(path, x.numpy())
    diff = float(np.abs(np.asarray(got) - ref.numpy()).max())
    print(f"self-check: {runner} vs PyTorch, max |diff| = {diff:.2e} on {n_check} random images "
          f"(limit {MAX_DIFF:.0e})")
    failed |= not diff <= MAX_DIFF
    if ref_files:
        np.save(os.path.join(out_dir, "reference_input.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(out_dir, "reference_w.npy"), ref.numpy().astype(np.float32))
    sidecar = dict(meta, **sidecar, input_size=size, input_nc=input_nc, layers=layers, onnx_mb=round(size_mb, 2),
                   self_check_max_diff=diff, self_check_runner=runner)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(sidecar, f, indent=2)
    if failed:
        print(f"psp_onnx.py: the export does not match PyTorch within {MAX_DIFF:.0e}", file=sys.stderr)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------------------------
# The small random test encoder shipped as datasets/models/psp/psp.onnx (64x64 -> [N, 10, 512]).

class BottleneckIR(nn.Module):
    def __init__(self, in_ch, out_ch, stride):
        super().__init__()
        self.shortcut = (nn.MaxPool2d(1, stride) if in_ch == out_ch else
                         nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), nn.BatchNorm2d(out_ch)))
        self.res = nn.Sequential(nn.BatchNorm2d(in_ch), nn.Conv2d(in_ch, out_ch, 3, 1, 1, bias=False),
                                 nn.PReLU(out_ch), nn.Conv2d(out_ch, out_ch, 3, stride, 1, bias=False),
                                 nn.BatchNorm2d(out_ch))

    def forward(self, x):
        return self.res(x) + self.shortcut(x)


class SmallStyleBlock(nn.Module):
    def __init__(self, in_ch, spatial, hidden):
        super().__init__()
        layers, s = [nn.Conv2d(in_ch, hidden, 3, 2, 1), nn.LeakyReLU()], spatial // 2
        while s > 1:
            layers += [nn.Conv2d(hidden, hidden, 3, 2, 1), nn.LeakyReLU()]
            s //= 2
        self.convs = nn.Sequential(*layers)
        self.linear = nn.Linear(hidden, STYLE_DIM)

    def forward(self, x):
        return self.linear(self.convs(x).flatten(1))


class SmallPsp(nn.Module):
    """pSp's GradualStyleEncoder shape at small width (3 pyramid levels, FPN merge, L map2style heads):
    NOT a pSp checkpoint layout — only the shipped test encoder, small enough to commit."""

    def __init__(self, size=64, n_latent=10, ch=(32, 48, 64)):
        super().__init__()
        self.input_layer = nn.Sequential(nn.Conv2d(3, ch[0], 3, 1, 1, bias=False), nn.BatchNorm2d(ch[0]), nn.PReLU(ch[0]))
        self.body1 = nn.Sequential(BottleneckIR(ch[0], ch[0], 2), BottleneckIR(ch[0], ch[0], 1))
        self.body2 = nn.Sequential(BottleneckIR(ch[0], ch[1], 2), BottleneckIR(ch[1], ch[1], 1))
        self.body3 = nn.Sequential(BottleneckIR(ch[1], ch[2], 2), BottleneckIR(ch[2], ch[2], 1))
        self.lat_mid = nn.Conv2d(ch[1], ch[2], 1)
        self.lat_fine = nn.Conv2d(ch[0], ch[2], 1)
        self.coarse_ind, self.middle_ind = 3, 7
        self.styles = nn.ModuleList(
            SmallStyleBlock(ch[2], size // 8 if i < 3 else size // 4 if i < 7 else size // 2, 32) for i in range(n_latent))
        self.register_buffer("latent_avg", torch.zeros(1, n_latent, STYLE_DIM))

    def forward(self, image):
        x = self.input_layer(image)
        c1 = self.body1(x)
        c2 = self.body2(c1)
        c3 = self.body3(c2)
        p2 = F.interpolate(c3, scale_factor=2.0, mode="bilinear", align_corners=False) + self.lat_mid(c2)
        p1 = F.interpolate(p2, scale_factor=2.0, mode="bilinear", align_corners=False) + self.lat_fine(c1)
        codes = [head(c3 if i < self.coarse_ind else p2 if i < self.middle_ind else p1) for i, head in enumerate(self.styles)]
        return torch.stack(codes, dim=1) + self.latent_avg


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", "--psp", dest="checkpoint", help="pSp or e4e checkpoint (.pt with 'state_dict', 'opts')")
    p.add_argument("--random", action="store_true", help="the small random test encoder instead of a checkpoint")
    p.add_argument("--out", required=True, help="output folder (gets NAME.onnx and NAME.json)")
    p.add_argument("--name", default="psp", help="file name stem (default psp)")
    p.add_argument("--size", type=int, default=256, help="input side S; pSp and e4e train on 256x256 (default)")
    p.add_argument("--range", help="override the input range metadata, e.g. '0,1'")
    p.add_argument("--psp-repo", help="optional: pixel2style2pixel checkout, to cross-check against their module")
    p.add_argument("--e4e-repo", help="optional: encoder4editing checkout, to cross-check against their module")
    p.add_argument("--seed", type=int, default=2025)
    a = p.parse_args()
    torch.set_grad_enabled(False)
    if a.random:
        torch.manual_seed(a.seed)
        net = SmallPsp(64, 10)
        net.latent_avg.normal_(0, 0.5)
        for m in net.modules():  # non-trivial running statistics, as a trained net has
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
        meta = {"latentmotion.range": "-1,1", "latentmotion.kind": "encoder",
                "latentmotion.source": f"random weights, seed {a.seed} (test encoder, not trained)"}
        export(net.eval(), 64, 3, a.out, a.name, meta, {}, a.seed + 1, ref_files=True)
        return
    if not a.checkpoint:
        p.error("give --checkpoint CKPT.pt (or --random)")
    t0 = time.time()
    try:
        ckpt = torch.load(a.checkpoint, map_location="cpu")
        plan = describe(ckpt)
        net = build(plan, a.size)
    except CheckpointMismatch as e:
        print(f"psp_onnx.py: {a.checkpoint}: {e}", file=sys.stderr)
        sys.exit(2)
    for n in plan["notes"]:
        print("note:", n)
    print(f"{plan['framework']} {plan['encoder_type']}, {plan['mode']}-{plan['depth']} body, input_nc {plan['input_nc']}, "
          f"{plan['n_styles']} styles ({plan['size_key']}), latent_avg "
          f"{'added' if plan['latent_avg'] is not None else 'not added'} (loaded in {time.time() - t0:.1f} s)")
    x_seed = a.seed
    cross = None
    repo = a.e4e_repo if plan["framework"] == "e4e" else a.psp_repo
    if a.psp_repo and a.e4e_repo:
        p.error("give --psp-repo or --e4e-repo, the one that wrote the checkpoint")
    if (a.psp_repo or a.e4e_repo) and not repo:
        p.error(f"this is an {plan['framework']} checkpoint: cross-check with --{plan['framework'].lower()}-repo")
    if repo:
        g = torch.Generator().manual_seed(x_seed)
        x = torch.rand(2, plan["input_nc"], a.size, a.size, generator=g) * 2 - 1
        cross = their_codes(repo, a.checkpoint, ckpt, x)
    del ckpt, plan["state"]
    meta = {"latentmotion.range": a.range or plan["range"], "latentmotion.kind": "encoder",
            "latentmotion.source": f"{plan['framework']} checkpoint {os.path.basename(a.checkpoint)} "
                                   f"({plan['encoder_type']}, {plan['mode']}-{plan['depth']})"}
    sidecar = {k: plan[k] for k in ("framework", "encoder_type", "n_styles", "depth", "mode", "dataset_type",
                                    "learn_in_w")}
    sidecar["latent_avg_added"] = plan["latent_avg"] is not None
    sidecar["input_normalisation"] = ("(x - 0.5) / 0.5 of [0, 1] pixels, as pSp/e4e's transforms"
                                      if meta["latentmotion.range"] == "-1,1" else "[0, 1] pixels, not normalised")
    export(net, a.size, plan["input_nc"], a.out, a.name, meta, sidecar, x_seed, cross=cross)


if __name__ == "__main__":
    main()
