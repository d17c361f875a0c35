#!/usr/bin/python3
"""Export an NVlabs StyleGAN3 generator (alias-free, --cfg stylegan3-t or stylegan3-r) to ONNX.

Reads a pickle in the layout NVlabs' train.py writes (network-snapshot-*.pkl, or a released
stylegan3-*.pkl: a dict with G, D, G_ema, augment_pipe, training_set_kwargs) WITHOUT NVlabs'
code: their pickles embed the source of every network class (torch_utils.persistence); this
script never runs that source, it only reads each object's state (parameters, buffers, and
the attributes the constructor computed: sizes, sampling rates, filters, padding) and rebuilds
G_ema in plain PyTorch ops that export to ONNX (opset 17):

  stylegan3.onnx   input  "w"     float32 [N, num_ws, 512]   (N dynamic)
                   output "image" float32 [N, 3, H, W]        metadata latentmotion.range = "-1,1"
  mapping.onnx     input  "z"     float32 [N, z_dim]
                   output "w"     float32 [N, 512]            one w per sample, untruncated
                   output "w_avg" float32 [512]               the mapping.w_avg buffer
                   metadata latentmotion.kind=mapping, latentmotion.num_ws, latentmotion.w_avg_source=buffer
  stylegan3.json   what was exported

How the parts are expressed (why: ONNX has no affine_grid with a per-sample theta, no
upfirdn2d, and a grouped convolution with groups = batch would fix N):
  * input layer: the per-sample rotation/translation is built from the affine output with
    stack/matmul, the sampling grid is a constant (it does not depend on w), Fourier features are
    matmul + sin, as in NVlabs' SynthesisInput;
  * modulated convolution in the non-grouped form: scale the input by the styles (times
    magnitude_ema^-1/2), one convolution with the shared weight, scale the output by the
    demodulation coefficients rsqrt(s^2 @ sum_k(w^2)^T + 1e-8);
  * filtered_lrelu: bias, up-sampling as a transposed convolution with the 1-D FIR filter along
    W then along H (equal to zero insertion + pad + filter), gain, leaky ReLU, clamp to
    +-conv_clamp, down-sampling as a strided convolution with the filter (1-D twice, or the 2-D
    radial filter of stylegan3-r). The convolutions are depthwise (groups = channels); each
    filter is stored once and expanded to the channels in the graph.
  * exported without constant folding: every weight is stored once, as in the pickle
    (ONNX Runtime folds the derived tensors when it loads the model).

Every export checks itself: the ONNX files are run (through the Java toolkit's ONNX Runtime
when datasets/models/onnx_check.py is present, else onnx.reference) on mapped codes and compared
with the plain-PyTorch rebuild and, with --nvlabs-repo, with NVlabs' own
G_ema.synthesis(ws, noise_mode='const', force_fp32=True) and G_ema.mapping; the script exits
with status 1 if any difference exceeds 1e-4.

Usage (Debian's /usr/bin/python3 with python3-torch and python3-onnx):
  /usr/bin/python3 datasets/models/stylegan3/stylegan3_onnx.py --pkl network-snapshot-005000.pkl --out my-stylegan3
  ... --nvlabs-repo ~/src/stylegan3    # also compare with NVlabs' own generator
"""
import argparse
import collections
import gc
import hashlib
import io
import json
import math
import os
import pickle
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-4  # exit status 1 above this (float32 differences are ~1e-6)


# ----------------------------------------------------------------------------------- loading

class EasyDict(dict):
    """Stands for dnnlib.EasyDict (a dict with attribute access) while unpickling."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)


class PersistentState:
    """One torch_utils.persistence object, as its state only: NVlabs' class is never built.

    `meta` is what persistence.__reduce__ stored: type, version, module_src, class_name, state
    (the object's __dict__: _parameters, _buffers, _modules, _init_kwargs and the constructor's
    computed attributes)."""

    def __init__(self, meta):
        self.class_name = meta.get("class_name")
        self.version = meta.get("version")
        self.state = dict(meta.get("state") or {})

    def __repr__(self):
        return f"<{self.class_name} from an NVlabs pickle>"

    def module(self, name):
        m = self.state.get("_modules", {}).get(name)
        if m is None:
            raise ValueError(f"{self.class_name}: expected a sub-module '{name}', found only "
                             f"{sorted(self.state.get('_modules', {}))}")
        return m

    def has_module(self, name):
        return name in self.state.get("_modules", {})

    def tensor(self, name, optional=False):
        for table in ("_parameters", "_buffers"):
            t = self.state.get(table, {})
            if name in t:
                v = t[name]
                # shares the pickle's storage (no copy): the state is dropped once the modules are built
                return None if v is None else v.detach().to(torch.float32)
        if optional:
            return None
        raise ValueError(f"{self.class_name}: expected a parameter or buffer '{name}', found "
                         f"{sorted(self.state.get('_parameters', {})) + sorted(self.state.get('_buffers', {}))}")

    def attr(self, name):
        if name not in self.state:
            raise ValueError(f"{self.class_name}: expected the attribute '{name}' in the pickled state "
                             f"(written by NVlabs' stylegan3 code), found none")
        return self.state[name]


class _StateOnlyUnpickler(pickle.Unpickler):
    """Unpickles an NVlabs network pickle without NVlabs' code.

    Persistent objects become PersistentState (their embedded module source is not executed),
    dnnlib.EasyDict becomes a dict; torch, numpy and a few container types load as usual.
    Anything else is refused by name, so an unexpected pickle fails here and says why."""

    ALLOWED_BUILTINS = {"set", "frozenset", "slice", "complex", "range", "bytearray", "bytes", "object"}

    def find_class(self, module, name):
        if module == "torch_utils.persistence" and name == "_reconstruct_persistent_obj":
            return PersistentState
        if module.startswith("dnnlib") and name == "EasyDict":
            return EasyDict
        if module.startswith("numpy._core"):  # pickles written with numpy 2 name numpy._core
            module = "numpy.core" + module[len("numpy._core"):]
        root = module.split(".")[0]
        if root in ("torch", "numpy", "collections", "copyreg", "_codecs") or \
                (module == "builtins" and name in self.ALLOWED_BUILTINS):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"the pickle needs {module}.{name}, which is not part of an NVlabs network pickle "
            f"(expected only torch, numpy and torch_utils.persistence objects)")


def load_pickle(path):
    with open(path, "rb") as f:
        head = f.read(2)
        f.seek(0)
        if head[:1] != b"\x80":
            raise ValueError(f"{path}: not a Python pickle (first bytes {head!r}); expected an NVlabs "
                             "network pickle (network-snapshot-*.pkl)")
        try:
            data = _StateOnlyUnpickler(f).load()
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as e:
            raise ValueError(f"{path}: cannot read it as an NVlabs network pickle: {e}") from e
    if not isinstance(data, dict) or "G_ema" not in data:
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{path}: expected a dict with 'G_ema' (the layout NVlabs' training loop writes: G, D, "
                         f"G_ema, augment_pipe, training_set_kwargs), found {found}")
    G = data["G_ema"]
    if not isinstance(G, PersistentState):
        raise ValueError(f"{path}: G_ema is a {type(G).__name__}, expected an NVlabs persistent Generator "
                         "(a TensorFlow-era pickle? convert it with NVlabs' legacy.py first)")
    syn = G.module("synthesis")
    if syn.has_module("b4"):
        raise ValueError(f"{path}: G_ema is a StyleGAN2 generator (synthesis blocks b4, b8, ...; --cfg stylegan2); "
                         "this script exports the alias-free stylegan3-t/-r configs: use "
                         "datasets/models/stylegan2/stylegan2_onnx.py --nvlabs for it")
    if not syn.has_module("input") or syn.module("input").class_name != "SynthesisInput":
        raise ValueError(f"{path}: G_ema.synthesis has no SynthesisInput 'input' layer; expected a StyleGAN3 "
                         f"SynthesisNetwork, found modules {sorted(syn.state.get('_modules', {}))}")
    return data


# ------------------------------------------------------------------------ plain-ops network

class FullyConnected(nn.Module):
    """NVlabs FullyConnectedLayer: equalized learning rate, optional lrelu (bias_act's gain sqrt 2)."""

    def __init__(self, st):
        super().__init__()
        self.weight = nn.Parameter(st.tensor("weight"))
        b = st.tensor("bias", optional=True)
        self.bias = nn.Parameter(b) if b is not None else None
        self.weight_gain = float(st.attr("weight_gain"))
        self.bias_gain = float(st.attr("bias_gain"))
        self.activation = st.attr("activation")
        if self.activation not in ("linear", "lrelu"):
            raise ValueError(f"FullyConnectedLayer activation '{self.activation}': only linear and lrelu are exported")

    def forward(self, x):
        w = self.weight * self.weight_gain
        b = self.bias
        if b is not None and self.bias_gain != 1:
            b = b * self.bias_gain
        if self.activation == "linear" and b is not None:
            return torch.addmm(b.unsqueeze(0), x, w.t())
        x = x.matmul(w.t())
        if b is not None:
            x = x + b.unsqueeze(0)
        if self.activation == "lrelu":
            x = F.leaky_relu(x, 0.2) * math.sqrt(2)
        return x


class Mapping(nn.Module):
    """z -> (w, w_avg): normalize z, the fc layers; one w per sample, untruncated."""

    def __init__(self, st):
        super().__init__()
        if int(st.attr("c_dim")) > 0:
            raise ValueError(f"the mapping network is conditional (c_dim = {st.attr('c_dim')}); "
                             "only unconditional generators (c_dim 0) are exported")
        self.z_dim = int(st.attr("z_dim"))
        self.w_dim = int(st.attr("w_dim"))
        self.num_ws = int(st.attr("num_ws"))
        self.fcs = nn.ModuleList(FullyConnected(st.module(f"fc{i}")) for i in range(int(st.attr("num_layers"))))
        self.register_buffer("w_avg", st.tensor("w_avg"))

    def forward(self, z):
        x = z * (z.square().mean(1, keepdim=True) + 1e-8).rsqrt()
        for fc in self.fcs:
            x = fc(x)
        # Identity keeps w_avg a node output rather than a bare initializer (some runtimes refuse those).
        return x, self.w_avg * 1.0


class FourierInput(nn.Module):
    """NVlabs SynthesisInput without affine_grid: the grid is a constant of the layer."""

    def __init__(self, st):
        super().__init__()
        self.affine = FullyConnected(st.module("affine"))
        self.weight = nn.Parameter(st.tensor("weight"))
        self.register_buffer("transform", st.tensor("transform"))
        self.register_buffer("freqs", st.tensor("freqs"))
        self.register_buffer("phases", st.tensor("phases"))
        self.channels = int(st.attr("channels"))
        self.size = [int(s) for s in np.broadcast_to(np.asarray(st.attr("size")), [2])]
        self.sampling_rate = float(st.attr("sampling_rate"))
        self.bandwidth = float(st.attr("bandwidth"))
        theta = torch.eye(2, 3)
        theta[0, 0] = 0.5 * self.size[0] / self.sampling_rate
        theta[1, 1] = 0.5 * self.size[1] / self.sampling_rate
        # Same values NVlabs computes at every call; here once, as a [1, H, W, 1, 2] constant.
        grid = F.affine_grid(theta.unsqueeze(0), [1, 1, self.size[1], self.size[0]], align_corners=False)
        self.register_buffer("grid", grid.unsqueeze(3))

    def forward(self, w):
        t = self.affine(w)                                        # (r_c, r_s, t_x, t_y)
        t = t / t[:, :2].norm(dim=1, keepdim=True)
        c, s, tx, ty = t[:, 0], t[:, 1], t[:, 2], t[:, 3]
        zero, one = torch.zeros_like(c), torch.ones_like(c)
        m_r = torch.stack([c, -s, zero, s, c, zero, zero, zero, one], dim=1).reshape(-1, 3, 3)
        m_t = torch.stack([one, zero, -tx, zero, one, -ty, zero, zero, one], dim=1).reshape(-1, 3, 3)
        transforms = m_r @ m_t @ self.transform.unsqueeze(0)
        phases = self.phases.unsqueeze(0) + (self.freqs.unsqueeze(0) @ transforms[:, :2, 2:]).squeeze(2)
        freqs = self.freqs.unsqueeze(0) @ transforms[:, :2, :2]
        amplitudes = (1 - (freqs.norm(dim=2) - self.bandwidth) / (self.sampling_rate / 2 - self.bandwidth)).clamp(0, 1)
        x = (self.grid @ freqs.permute(0, 2, 1).unsqueeze(1).unsqueeze(2)).squeeze(3)  # [N, H, W, C]
        x = x + phases.unsqueeze(1).unsqueeze(2)
        x = torch.sin(x * (np.pi * 2))
        x = x * amplitudes.unsqueeze(1).unsqueeze(2)
        x = x @ (self.weight / np.sqrt(self.channels)).t()
        return x.permute(0, 3, 1, 2)


def _window(x, dim, n, start, length):
    """x (n long along dim) restricted to [start, start + length), zeros outside (start may be < 0).

    n is passed as a Python int: sizes are static in StyleGAN3, and a traced x.shape would not be."""
    lo, hi = max(-start, 0), max(start + length - n, 0)
    if lo or hi:
        pad = [0, 0] * (x.dim() - 1 - dim) + [lo, hi]
        x = F.pad(x, pad)
        start += lo
    if start or n + lo + hi != length:
        x = x.narrow(dim, start, length)
    return x


class SynthesisLayer(nn.Module):
    """NVlabs SynthesisLayer: modulated conv (non-grouped) + filtered_lrelu in plain ops."""

    def __init__(self, st):
        super().__init__()
        self.affine = FullyConnected(st.module("affine"))
        self.weight = nn.Parameter(st.tensor("weight"))
        self.bias = nn.Parameter(st.tensor("bias"))
        self.register_buffer("magnitude_ema", st.tensor("magnitude_ema"))
        self.is_torgb = bool(st.attr("is_torgb"))
        self.in_channels = int(st.attr("in_channels"))
        self.out_channels = int(st.attr("out_channels"))
        self.conv_kernel = int(st.attr("conv_kernel"))
        self.in_size = [int(s) for s in np.broadcast_to(np.asarray(st.attr("in_size")), [2])]
        self.out_size = [int(s) for s in np.broadcast_to(np.asarray(st.attr("out_size")), [2])]
        self.up = int(st.attr("up_factor"))
        self.down = int(st.attr("down_factor"))
        self.padding = [int(p) for p in st.attr("padding")]        # px0, px1, py0, py1
        clamp = st.attr("conv_clamp")
        self.clamp = None if clamp is None else float(clamp)
        fu, fd = st.tensor("up_filter", optional=True), st.tensor("down_filter", optional=True)
        for name, f in (("up_filter", fu), ("down_filter", fd)):
            if f is not None and f.dim() not in (1, 2):
                raise ValueError(f"{name} of shape {list(f.shape)}: expected 1-D (separable) or 2-D (radial)")
        if fu is not None and fu.dim() != 1:
            raise ValueError("a 2-D up-sampling filter is not exported (NVlabs' code designs 1-D ones)")
        if fu is None and self.up != 1:
            raise ValueError(f"up_factor {self.up} without an up_filter")
        # Kernels for the transposed/strided convolutions, [1, 1, kh, kw]. Convolution (not
        # correlation) as upfirdn2d with flip_filter=False: the transposed conv uses the filter as
        # is, the down conv flips it. gain up**2 spread over the two 1-D passes.
        if fu is not None:
            self.register_buffer("fu", (fu * self.up).reshape(1, 1, 1, -1))
            self.fu_taps = fu.numel()
        else:
            self.fu = None
        if fd is not None:
            fd = fd.flip(list(range(fd.dim())))
            self.register_buffer("fd", fd.reshape(1, 1, 1, -1) if fd.dim() == 1 else fd[None, None])
            self.fd_separable = fd.dim() == 1
        else:
            self.fd = None
        self.gain = 1.0 if self.is_torgb else math.sqrt(2)
        self.slope = 1.0 if self.is_torgb else 0.2
        if self.is_torgb:
            self.style_gain = 1 / np.sqrt(self.in_channels * self.conv_kernel ** 2)

    def modulated_conv(self, x, styles):
        input_gain = self.magnitude_ema.rsqrt()
        w = self.weight
        if self.is_torgb:
            x = x * (styles * input_gain).unsqueeze(2).unsqueeze(3)
            return F.conv2d(x, w, padding=self.conv_kernel - 1)
        # Pre-normalisation as NVlabs (it only guards fp16 range; NVlabs normalises s over the
        # whole batch, here per sample: the factor cancels in the demodulation either way).
        w = w * w.square().mean([1, 2, 3], keepdim=True).rsqrt()
        s = styles * styles.square().mean(1, keepdim=True).rsqrt()
        x = x * (s * input_gain).unsqueeze(2).unsqueeze(3)
        x = F.conv2d(x, w, padding=self.conv_kernel - 1)
        # sum over (in, kh, kw) of (w * s)^2 = s^2 @ sum_k(w^2)^T, per sample and output channel
        dcoefs = (s.square() @ w.square().sum(dim=[2, 3]).t() + 1e-8).rsqrt()
        return x * dcoefs.unsqueeze(2).unsqueeze(3)

    def filtered_lrelu(self, x):
        C = self.out_channels
        # static sizes: the conv output of in_size with padding conv_kernel - 1
        w, h = (s + self.conv_kernel - 1 for s in self.in_size)
        x = x + self.bias.reshape(1, -1, 1, 1)
        px0, px1, py0, py1 = self.padding
        if self.fu is not None:
            k = self.fu_taps
            # Depthwise (groups = C): the filter is stored once as [1, 1, 1, k] and expanded in the
            # graph. (Folding the channels into the batch instead was ~10x slower in ONNX Runtime.)
            fu = self.fu.expand(C, 1, 1, k)
            # transposed conv of n samples: (n - 1) * up + k long; window = zero insertion + pad + filter
            x = F.conv_transpose2d(x, fu, stride=(1, self.up), groups=C)
            x = _window(x, 3, (w - 1) * self.up + k, k - 1 - px0, w * self.up + px0 + px1 - k + 1)
            x = F.conv_transpose2d(x, fu.transpose(2, 3), stride=(self.up, 1), groups=C)
            x = _window(x, 2, (h - 1) * self.up + k, k - 1 - py0, h * self.up + py0 + py1 - k + 1)
        else:
            x = _window(x, 3, w, -px0, w + px0 + px1)
            x = _window(x, 2, h, -py0, h + py0 + py1)
        if self.slope != 1:
            x = F.leaky_relu(x, self.slope)
        if self.gain != 1:
            x = x * self.gain
        if self.clamp is not None:
            x = x.clamp(-self.clamp, self.clamp)
        if self.fd is not None:
            fd = self.fd.expand(C, 1, -1, -1)
            if self.fd_separable:
                x = F.conv2d(x, fd, stride=(1, self.down), groups=C)
                x = F.conv2d(x, fd.transpose(2, 3), stride=(self.down, 1), groups=C)
            else:  # radial, 2-D (stylegan3-r's non-critically-sampled layers)
                x = F.conv2d(x, fd, stride=self.down, groups=C)
        elif self.down != 1:
            x = x[:, :, ::self.down, ::self.down]
        return x

    def forward(self, x, w):
        styles = self.affine(w)
        if self.is_torgb:
            styles = styles * self.style_gain
        x = self.modulated_conv(x, styles)
        return self.filtered_lrelu(x)


class Synthesis(nn.Module):
    """W+ [N, num_ws, w_dim] -> image [N, 3, H, W], from G_ema.synthesis's state."""

    def __init__(self, st):
        super().__init__()
        self.w_dim = int(st.attr("w_dim"))
        self.num_ws = int(st.attr("num_ws"))
        self.img_resolution = int(st.attr("img_resolution"))
        self.img_channels = int(st.attr("img_channels"))
        self.output_scale = float(st.attr("output_scale"))
        self.input = FourierInput(st.module("input"))
        names = list(st.attr("layer_names"))
        if len(names) != self.num_ws - 1:
            raise ValueError(f"synthesis has {len(names)} layers and num_ws {self.num_ws}; expected num_ws - 1 layers")
        self.layer_names = names
        self.layers = nn.ModuleList(SynthesisLayer(st.module(n)) for n in names)

    def forward(self, ws):
        x = self.input(ws[:, 0])
        for i, layer in enumerate(self.layers):
            x = layer(x, ws[:, i + 1])
        if self.output_scale != 1:
            x = x * self.output_scale
        return x


def describe(syn_state):
    """'stylegan3-t' or 'stylegan3-r', from what the layers are (1x1 convs + radial filters = R)."""
    layer = syn_state.module(syn_state.attr("layer_names")[0])
    radial = any(bool(syn_state.module(n).state.get("down_radial", False)) for n in syn_state.attr("layer_names"))
    return "stylegan3-r" if int(layer.attr("conv_kernel")) == 1 or radial else "stylegan3-t"


# ------------------------------------------------------------------------------- export

def _export(module, args, path, input_names, output_names, dynamic_axes, meta):
    import onnx
    tmp = path + ".tmp"
    torch.onnx.export(module, args, tmp, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=17,
                      do_constant_folding=False)  # folding would store derived copies of the weights
    model = onnx.load(tmp)
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, str(v)
    onnx.checker.check_model(model)
    onnx.save(model, tmp)
    os.replace(tmp, path)
    return model


def storage_report(model, module):
    """Sizes, and a check that no weight is stored twice (identical initializers > 1 kB)."""
    from onnx import numpy_helper
    seen = collections.defaultdict(list)
    total = 0
    for init in model.graph.initializer:
        a = numpy_helper.to_array(init)
        total += a.nbytes
        if a.nbytes > 1024:
            seen[hashlib.sha1(a.tobytes()).hexdigest()].append(init.name)
    dups = [names for names in seen.values() if len(names) > 1]
    params = sum(p.numel() for p in module.parameters()) + sum(b.numel() for b in module.buffers())
    return total, params, dups


def run_onnx(path, inputs):
    """Runs an ONNX file: the Java toolkit's ONNX Runtime if onnx_check.py is there, else onnx.reference."""
    sys.path.insert(0, os.path.dirname(HERE))
    try:
        from onnx_check import run_onnx_with_java  # written by the Java side (datasets/models/onnx_check.py)
    except ImportError:
        run_onnx_with_java = None
    finally:
        sys.path.pop(0)
    if run_onnx_with_java is not None:
        # it prints a note when it has to fall back to onnx.reference (no Java build)
        return run_onnx_with_java(path, inputs), "onnx_check.run_onnx_with_java (ONNX Runtime through the Java toolkit)"
    from onnx.reference import ReferenceEvaluator
    sess = ReferenceEvaluator(path)
    names = [o.name for o in sess.proto_.graph.output]
    return dict(zip(names, sess.run(None, inputs))), "onnx.reference (datasets/models/onnx_check.py not found)"


def nvlabs_original(pkl, repo):
    """NVlabs' own G_ema, unpickled with their code (CPU: their ops take their reference paths)."""
    repo = os.path.abspath(os.path.expanduser(repo))
    if not os.path.isdir(os.path.join(repo, "torch_utils")):
        raise SystemExit(f"--nvlabs-repo {repo}: expected the NVlabs stylegan3 folder (with torch_utils/, dnnlib/)")
    sys.path.insert(0, repo)
    # Their ops only build CUDA plugins for tensors on a GPU; on a CPU-only machine they run their
    # pure-PyTorch reference paths, so importing needs no stand-ins.
    import dnnlib  # noqa: F401  (their package)
    import torch_utils.persistence  # noqa: F401
    with open(pkl, "rb") as f:
        return pickle.load(f)["G_ema"].eval().requires_grad_(False).cpu()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pkl", required=True, help="NVlabs stylegan3 pickle (dict with G_ema), --cfg stylegan3-t or -r")
    p.add_argument("--out", required=True, help="folder for stylegan3.onnx, mapping.onnx, stylegan3.json")
    p.add_argument("--nvlabs-repo", help="a clone of NVlabs/stylegan3: also compare with their own G_ema")
    p.add_argument("--check-codes", type=int, default=3, help="how many mapped codes the self-check renders")
    p.add_argument("--seed", type=int, default=0, help="seed of the self-check's z")
    a = p.parse_args(argv)
    torch.set_grad_enabled(False)
    t0 = time.time()

    try:
        if not os.path.isfile(a.pkl):
            raise ValueError(f"{a.pkl}: no such file")
        data = load_pickle(a.pkl)
        G = data["G_ema"]
        syn_state, map_state = G.module("synthesis"), G.module("mapping")
        config = describe(syn_state)
        syn, mapping = Synthesis(syn_state).eval(), Mapping(map_state).eval()
    except ValueError as e:  # a pickle that does not match: say what, no traceback, nothing written
        print(f"error: {e}", file=sys.stderr)
        return 2
    if syn.w_dim != mapping.w_dim or mapping.num_ws != syn.num_ws:
        raise SystemExit(f"mapping (w_dim {mapping.w_dim}, num_ws {mapping.num_ws}) and synthesis "
                         f"(w_dim {syn.w_dim}, num_ws {syn.num_ws}) disagree")
    # Drop the pickle (G, D, augment_pipe; G_ema's tensors live on in the modules): bounded memory.
    del data, G, syn_state, map_state
    gc.collect()
    print(f"read {a.pkl}: G_ema {config}, {syn.img_resolution}x{syn.img_resolution}, num_ws {syn.num_ws}, "
          f"z_dim {mapping.z_dim}, w_dim {syn.w_dim}, conv_clamp {syn.layers[0].clamp}")

    os.makedirs(a.out, exist_ok=True)
    # Self-check codes: mapped z (what the model is used with), rows 2.. mixed per layer.
    g = torch.Generator().manual_seed(a.seed)
    n = max(1, a.check_codes)
    z = torch.randn(n, mapping.z_dim, generator=g)
    w, _ = mapping(z)
    ws = w.unsqueeze(1).repeat(1, syn.num_ws, 1)
    if n > 1:
        perm = torch.randint(0, n, [syn.num_ws], generator=g)
        ws[-1] = w[perm]
    # One code at a time: at 1024² one sample's filtered_lrelu intermediates are ~1 GB each.
    ref_image = torch.cat([syn(ws[i:i + 1]) for i in range(n)])

    base = os.path.basename(a.pkl)
    meta = {"latentmotion.range": "-1,1", "latentmotion.architecture": config,
            "latentmotion.source": f"NVlabs stylegan3 pickle {base} (G_ema)",
            "latentmotion.num_ws": str(syn.num_ws)}
    syn_path = os.path.join(a.out, "stylegan3.onnx")
    syn_model = _export(syn, (ws[:1],), syn_path, ["w"], ["image"], {"w": {0: "N"}, "image": {0: "N"}}, meta)
    map_path = os.path.join(a.out, "mapping.onnx")
    map_meta = {"latentmotion.kind": "mapping", "latentmotion.num_ws": str(syn.num_ws),
                "latentmotion.w_avg_source": "buffer", "latentmotion.architecture": config,
                "latentmotion.source": f"NVlabs stylegan3 pickle {base} (G_ema.mapping)"}
    map_model = _export(mapping, (z,), map_path, ["z"], ["w", "w_avg"], {"z": {0: "N"}, "w": {0: "N"}}, map_meta)

    failed = False
    for label, model, module, path in (("stylegan3.onnx", syn_model, syn, syn_path),
                                       ("mapping.onnx", map_model, mapping, map_path)):
        stored, params, dups = storage_report(model, module)
        print(f"{label}: {os.path.getsize(path) / 1e6:.2f} MB on disk, initializers {stored / 1e6:.2f} MB "
              f"for {params / 1e6:.3f} M parameters and buffers ({params * 4 / 1e6:.2f} MB float32)"
              + (f"; STORED TWICE: {dups}" if dups else "; no weight stored twice"))
        failed |= bool(dups)
    del syn_model, map_model

    # The ONNX files against the PyTorch modules they were exported from.
    # The mapping check runs beside the synthesis check (each is a runtime process: wall time).
    # Synthesis batched for small models (checks a dynamic N); one code per run from 512² on (memory).
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=2) as pool:
        mapping_run = pool.submit(run_onnx, map_path, {"z": z.numpy()})
        if syn.img_resolution <= 256:
            out, runner = run_onnx(syn_path, {"w": ws.numpy()})
        else:
            runs = [run_onnx(syn_path, {"w": ws[i:i + 1].numpy()}) for i in range(n)]
            out, runner = {"image": np.concatenate([r[0]["image"] for r in runs])}, runs[0][1]
        mout, _ = mapping_run.result()
    d_syn = float(np.abs(out["image"] - ref_image.numpy()).max())
    d_map = max(float(np.abs(mout["w"] - w.numpy()).max()), float(np.abs(mout["w_avg"] - mapping.w_avg.numpy()).max()))
    print(f"self-check with {runner}, {n} mapped codes (the last mixed per layer):")
    print(f"  stylegan3.onnx vs the plain-PyTorch rebuild: max |diff| = {d_syn:.2e}")
    print(f"  mapping.onnx   vs the plain-PyTorch rebuild: max |diff| = {d_map:.2e}")
    failed |= not (d_syn <= TOLERANCE and d_map <= TOLERANCE)
    if a.nvlabs_repo:
        G = nvlabs_original(a.pkl, a.nvlabs_repo)
        with torch.no_grad():
            orig_ws = G.mapping(z, None)
            orig_img = torch.cat([G.synthesis(ws[i:i + 1], noise_mode="const", force_fp32=True) for i in range(n)])
        d_orig_map = max(float(np.abs(mout["w"] - orig_ws[:, 0].numpy()).max()),
                         float(np.abs(mout["w_avg"] - G.mapping.w_avg.numpy()).max()))
        d_orig_syn = float(np.abs(out["image"] - orig_img.numpy()).max())
        print(f"  stylegan3.onnx vs NVlabs' G_ema.synthesis(noise_mode='const', force_fp32=True): "
              f"max |diff| = {d_orig_syn:.2e} (image range [{orig_img.min():.3f}, {orig_img.max():.3f}])")
        print(f"  mapping.onnx   vs NVlabs' G_ema.mapping (w and w_avg): max |diff| = {d_orig_map:.2e}")
        failed |= not (d_orig_syn <= TOLERANCE and d_orig_map <= TOLERANCE)
    else:
        print("  NVlabs' own generator: not compared (pass --nvlabs-repo <clone of NVlabs/stylegan3>)")

    with open(os.path.join(a.out, "stylegan3.json"), "w") as f:
        json.dump(dict(meta, config=config, layers=syn.num_ws, resolution=syn.img_resolution,
                       z_dim=mapping.z_dim, w_dim=syn.w_dim,
                       channels=[l.out_channels for l in syn.layers], layer_names=syn.layer_names,
                       conv_clamp=syn.layers[0].clamp, output_scale=syn.output_scale,
                       parameters=sum(p.numel() for p in syn.parameters()),
                       mapping=dict(file="mapping.onnx", z_dim=mapping.z_dim, layers=len(mapping.fcs)),
                       self_check=dict(runner=runner, synthesis_max_abs_diff=d_syn, mapping_max_abs_diff=d_map)),
                  f, indent=2)
    print(f"exported {syn_path}: w [N, {syn.num_ws}, {syn.w_dim}] -> image [N, {syn.img_channels}, "
          f"{syn.img_resolution}, {syn.img_resolution}]; {map_path}: z [N, {mapping.z_dim}] -> w [N, {syn.w_dim}], "
          f"w_avg [{syn.w_dim}] ({time.time() - t0:.1f} s)")
    if failed:
        print(f"SELF-CHECK FAILED (tolerance {TOLERANCE:g})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
