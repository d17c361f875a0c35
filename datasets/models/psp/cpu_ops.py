"""Pure-PyTorch stand-ins for the CUDA ops of rosinality-style StyleGAN2 code (`models/stylegan2/op`).

pixel2style2pixel and encoder4editing both ship rosinality's `op` package, whose `__init__` compiles
CUDA kernels (torch.utils.cpp_extension.load) the moment it is imported — even though their
*encoders* only borrow `EqualLinear` from `models/stylegan2/model.py`. On a CPU-only machine that
import fails. `install()` puts a module with the same three names into `sys.modules` first, so
`from models.stylegan2.op import FusedLeakyReLU, fused_leaky_relu, upfirdn2d` finds these instead
and nothing is compiled. Written for latentmotion from the operations' definitions (bias + leaky
ReLU + gain; upsample by zero insertion, pad, FIR filter, downsample); no third-party code.
"""
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn


def fused_leaky_relu(input, bias, negative_slope=0.2, scale=2 ** 0.5):
    """leaky_relu(input + bias) * scale, the bias broadcast along channel axis 1."""
    shape = [1, -1] + [1] * (input.dim() - 2)
    return F.leaky_relu(input + bias.view(shape), negative_slope) * scale


class FusedLeakyReLU(nn.Module):
    """Module form with a learnt per-channel bias named `bias` (state-dict name of the original)."""

    def __init__(self, channel, negative_slope=0.2, scale=2 ** 0.5):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channel))
        self.negative_slope = negative_slope
        self.scale = scale

    def forward(self, input):
        return fused_leaky_relu(input, self.bias, self.negative_slope, self.scale)


def upfirdn2d(input, kernel, up=1, down=1, pad=(0, 0)):
    """Upsample (zero insertion) by `up`, pad (negative = crop), filter with `kernel`, keep every `down`-th pixel.

    `pad` is (pad0, pad1) applied to both axes, as the callers in model.py pass it. The filter is a
    true convolution (kernel flipped), which is what upfirdn means.
    """
    p0, p1 = pad[0], pad[1]
    n, c, h, w = input.shape
    x = input.reshape(n * c, 1, h, w)
    if up > 1:
        z = x.new_zeros(n * c, 1, h * up, w * up)
        z[:, :, ::up, ::up] = x
        x = z
    # F.pad takes (left, right, top, bottom); negative values crop
    x = F.pad(x, [max(p0, 0), max(p1, 0), max(p0, 0), max(p1, 0)])
    x = x[:, :, max(-p0, 0):x.shape[2] - max(-p1, 0), max(-p0, 0):x.shape[3] - max(-p1, 0)]
    k = torch.flip(kernel, [0, 1]).to(x).view(1, 1, kernel.shape[0], kernel.shape[1])
    x = F.conv2d(x, k)
    x = x[:, :, ::down, ::down]
    return x.reshape(n, c, x.shape[2], x.shape[3])


def install(name="models.stylegan2.op"):
    """Registers the stand-ins as module `name` (its parent packages are imported normally)."""
    mod = types.ModuleType(name)
    mod.__doc__ = "latentmotion CPU stand-in for " + name
    mod.fused_leaky_relu = fused_leaky_relu
    mod.FusedLeakyReLU = FusedLeakyReLU
    mod.upfirdn2d = upfirdn2d
    sys.modules[name] = mod
    # the submodule names, for code that imports them directly
    for sub in ("fused_act", "upfirdn2d"):
        sm = types.ModuleType(name + "." + sub)
        sm.fused_leaky_relu, sm.FusedLeakyReLU, sm.upfirdn2d = fused_leaky_relu, FusedLeakyReLU, upfirdn2d
        sys.modules[name + "." + sub] = sm
    return mod
