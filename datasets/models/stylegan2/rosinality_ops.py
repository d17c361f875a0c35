"""Pure-PyTorch stand-ins for the CUDA `op` package of rosinality/stylegan2-pytorch.

Its model.py does `from op import FusedLeakyReLU, fused_leaky_relu, upfirdn2d, conv2d_gradfix`,
and op/ compiles CUDA extensions when imported, which fails on a machine without nvcc. Calling
install() before importing model.py puts this module's `op` into sys.modules instead, so the
user's clone works unpatched on CPU. Written from the operations' definitions (documented
signatures), not from their code.
"""
import contextlib
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn


def fused_leaky_relu(input, bias=None, negative_slope=0.2, scale=2 ** 0.5):
    """leaky_relu(input + bias broadcast over channel dim 1) * scale."""
    if bias is not None:
        input = input + bias.view(1, bias.shape[0], *([1] * (input.ndim - 2)))
    return F.leaky_relu(input, negative_slope) * scale


class FusedLeakyReLU(nn.Module):
    def __init__(self, channel, bias=True, negative_slope=0.2, scale=2 ** 0.5):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channel)) if bias else None
        self.negative_slope = negative_slope
        self.scale = scale

    def forward(self, input):
        return fused_leaky_relu(input, self.bias, self.negative_slope, self.scale)


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def upfirdn2d(input, kernel, up=1, down=1, pad=(0, 0)):
    """Upsample by zero insertion, pad (negative pads crop), FIR-filter, downsample.

    pad is (p0, p1) for both axes or (x0, x1, y0, y1); the filter is applied as a true
    convolution (kernel flipped), per channel."""
    upx, upy = _pair(up)
    downx, downy = _pair(down)
    if len(pad) == 2:
        pad = (pad[0], pad[1], pad[0], pad[1])
    x0, x1, y0, y1 = pad
    n, c, h, w = input.shape
    x = input.reshape(n * c, 1, h, w)
    if upx > 1 or upy > 1:
        z = x.new_zeros(n * c, 1, h * upy, w * upx)
        z[:, :, ::upy, ::upx] = x
        x = z
    x = F.pad(x, (max(x0, 0), max(x1, 0), max(y0, 0), max(y1, 0)))
    x = x[:, :, max(-y0, 0): x.shape[2] - max(-y1, 0), max(-x0, 0): x.shape[3] - max(-x1, 0)]
    k = torch.flip(kernel, [0, 1]).to(x.dtype)[None, None]
    x = F.conv2d(x, k)
    x = x[:, :, ::downy, ::downx]
    return x.reshape(n, c, x.shape[2], x.shape[3])


def _conv2d_gradfix_module():
    m = types.ModuleType("op.conv2d_gradfix")
    m.enabled = False
    m.weight_gradients_disabled = False

    @contextlib.contextmanager
    def no_weight_gradients():
        yield

    def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        return F.conv2d(input, weight, bias, stride, padding, dilation, groups)

    def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
        return F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)

    m.no_weight_gradients = no_weight_gradients
    m.conv2d = conv2d
    m.conv_transpose2d = conv_transpose2d
    return m


def install(package="op"):
    """Registers the stand-in as `package` (and its submodules) in sys.modules; returns it."""
    op = types.ModuleType(package)
    op.__path__ = []  # a package, so `from op.fused_act import ...` resolves too
    fused_act = types.ModuleType(package + ".fused_act")
    fused_act.FusedLeakyReLU, fused_act.fused_leaky_relu = FusedLeakyReLU, fused_leaky_relu
    up = types.ModuleType(package + ".upfirdn2d")
    up.upfirdn2d = upfirdn2d
    gradfix = _conv2d_gradfix_module()
    op.FusedLeakyReLU, op.fused_leaky_relu, op.upfirdn2d = FusedLeakyReLU, fused_leaky_relu, upfirdn2d
    op.conv2d_gradfix, op.fused_act = gradfix, fused_act
    sys.modules[package] = op
    sys.modules[package + ".fused_act"] = fused_act
    sys.modules[package + ".upfirdn2d"] = up
    sys.modules[package + ".conv2d_gradfix"] = gradfix
    return op
