#!/usr/bin/python3
"""Export a pSp-style encoder (images -> W+ codes) to ONNX for latentmotion's Encoder.

Interface of the exported graph:

    input  "image" float32 [N, 3, S, S]  (S fixed, e.g. 256 for pSp; values in [-1, 1])
    output "w"     float32 [N, L, 512]   (W+ codes of the StyleGAN the encoder was trained for)

ONNX metadata: latentmotion.range = "-1,1" (what the INPUT pixels must be scaled to),
latentmotion.kind = "encoder".

pSp (Richardson et al., "Encoding in Style") is a feature-pyramid encoder: a ResNet-IR body gives
coarse/medium/fine feature maps, a "map2style" block per W+ layer reduces its map to one 512-d
code, and the average latent of the generator is added. This script builds that structure in
plain ops.

Usage (offline, Debian's torch):

  # 1. No checkpoint: a small random-weight encoder for tests (64x64 input, L = 10).
  /usr/bin/python3 datasets/models/psp/psp_onnx.py --random --out datasets/models/psp

  # 2. A real pSp checkpoint (e.g. psp_ffhq_encode.pt) with the pSp code:
  /usr/bin/python3 datasets/models/psp/psp_onnx.py --psp psp_ffhq_encode.pt \
      --psp-repo ~/src/pixel2style2pixel --out my-psp

Step by step for a real pSp checkpoint:
  1. git clone https://github.com/eladrich/pixel2style2pixel (its models/encoders are plain
     PyTorch; only the StyleGAN decoder needs CUDA ops, and it is not exported here).
  2. Run the command above: the script rebuilds pSp's encoder from the checkpoint's `opts`,
     wraps it so that latent_avg is added (as pSp does when start_from_latent_avg is set),
     exports with a dynamic batch axis and checks ONNX against PyTorch on random inputs.
  3. Pair it with the StyleGAN2 export of the SAME generator (stylegan2_onnx.py).
  4. In Java: Encoder.open(Path.of("my-psp/psp.onnx")).encode(frames) gives a Trajectory.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STYLE_DIM = 512


class BottleneckIR(nn.Module):
    """The IR residual unit of pSp's backbone (BN, conv, PReLU, conv, BN, + shortcut)."""

    def __init__(self, in_ch, out_ch, stride):
        super().__init__()
        self.shortcut = (nn.MaxPool2d(1, stride) if in_ch == out_ch else
                         nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), nn.BatchNorm2d(out_ch)))
        self.res = nn.Sequential(nn.BatchNorm2d(in_ch), nn.Conv2d(in_ch, out_ch, 3, 1, 1, bias=False),
                                 nn.PReLU(out_ch), nn.Conv2d(out_ch, out_ch, 3, stride, 1, bias=False),
                                 nn.BatchNorm2d(out_ch))

    def forward(self, x):
        return self.res(x) + self.shortcut(x)


class GradualStyleBlock(nn.Module):
    """map2style: strided convs down to 1x1, then a linear map to one 512-d code."""

    def __init__(self, in_ch, spatial, hidden=STYLE_DIM):
        super().__init__()
        # pSp uses 512 hidden channels; the small test encoder uses fewer to stay a small file
        layers, s = [nn.Conv2d(in_ch, hidden, 3, 2, 1), nn.LeakyReLU()], spatial // 2
        while s > 1:
            layers += [nn.Conv2d(hidden, hidden, 3, 2, 1), nn.LeakyReLU()]
            s //= 2
        self.convs = nn.Sequential(*layers)
        self.linear = nn.Linear(hidden, STYLE_DIM)

    def forward(self, x):
        return self.linear(self.convs(x).flatten(1))


class SmallPsp(nn.Module):
    """pSp's GradualStyleEncoder shape at small scale: 3 pyramid levels, FPN merge, L map2style heads."""

    def __init__(self, size=64, n_latent=10, ch=(32, 48, 64)):
        super().__init__()
        self.size, self.n_latent = size, n_latent
        self.input_layer = nn.Sequential(nn.Conv2d(3, ch[0], 3, 1, 1, bias=False), nn.BatchNorm2d(ch[0]), nn.PReLU(ch[0]))
        self.body1 = nn.Sequential(BottleneckIR(ch[0], ch[0], 2), BottleneckIR(ch[0], ch[0], 1))   # size/2 (fine)
        self.body2 = nn.Sequential(BottleneckIR(ch[0], ch[1], 2), BottleneckIR(ch[1], ch[1], 1))   # size/4 (medium)
        self.body3 = nn.Sequential(BottleneckIR(ch[1], ch[2], 2), BottleneckIR(ch[2], ch[2], 1))   # size/8 (coarse)
        self.lat_mid = nn.Conv2d(ch[1], ch[2], 1)
        self.lat_fine = nn.Conv2d(ch[0], ch[2], 1)
        self.coarse_ind, self.middle_ind = 3, 7  # pSp: 3 coarse, 4 medium, rest fine
        self.styles = nn.ModuleList()
        for i in range(n_latent):
            spatial = size // 8 if i < self.coarse_ind else size // 4 if i < self.middle_ind else size // 2
            self.styles.append(GradualStyleBlock(ch[2], spatial, hidden=32))
        self.register_buffer("latent_avg", torch.zeros(1, n_latent, STYLE_DIM))

    def forward(self, image):
        x = self.input_layer(image)
        c1 = self.body1(x)
        c2 = self.body2(c1)
        c3 = self.body3(c2)
        p2 = F.interpolate(c3, scale_factor=2.0, mode="bilinear", align_corners=False) + self.lat_mid(c2)
        p1 = F.interpolate(p2, scale_factor=2.0, mode="bilinear", align_corners=False) + self.lat_fine(c1)
        codes = []
        for i, head in enumerate(self.styles):
            feat = c3 if i < self.coarse_ind else p2 if i < self.middle_ind else p1
            codes.append(head(feat))
        return torch.stack(codes, dim=1) + self.latent_avg


class PspWrapper(nn.Module):
    """pSp's encoder + latent_avg, as pSp.forward does with start_from_latent_avg."""

    def __init__(self, encoder, latent_avg, n_latent):
        super().__init__()
        self.encoder = encoder
        self.register_buffer("latent_avg", latent_avg.reshape(1, -1, STYLE_DIM).expand(1, n_latent, STYLE_DIM).clone())

    def forward(self, image):
        return self.encoder(image) + self.latent_avg


def export(net, size, out_dir, meta, seed, n_ref=2):
    os.makedirs(out_dir, exist_ok=True)
    net = net.eval()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.rand(n_ref, 3, size, size, generator=g) * 2 - 1
    with torch.no_grad():
        ref = net(x)
    path = os.path.join(out_dir, "psp.onnx")
    tmp = path + ".tmp"
    torch.onnx.export(net, (x,), tmp, input_names=["image"], output_names=["w"],
                      dynamic_axes={"image": {0: "N"}, "w": {0: "N"}}, opset_version=17)
    import onnx
    model = onnx.load(tmp)
    for k, v in meta.items():
        e = model.metadata_props.add()
        e.key, e.value = k, str(v)
    onnx.checker.check_model(model)
    onnx.save(model, tmp)
    os.replace(tmp, path)
    np.save(os.path.join(out_dir, "reference_input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(out_dir, "reference_w.npy"), ref.numpy().astype(np.float32))
    with open(os.path.join(out_dir, "psp.json"), "w") as f:
        json.dump(dict(meta, input_size=size, layers=int(ref.shape[1])), f, indent=2)
    print(f"exported {path}: image [N, 3, {size}, {size}] -> w [N, {ref.shape[1]}, {STYLE_DIM}], "
          f"{os.path.getsize(path) / 1e6:.2f} MB")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--random", action="store_true")
    p.add_argument("--psp", help="pSp checkpoint (.pt with 'state_dict' and 'opts')")
    p.add_argument("--psp-repo", help="folder of eladrich/pixel2style2pixel")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_grad_enabled(False)
    if a.random:
        torch.manual_seed(a.seed)
        net = SmallPsp(64, 10)
        with torch.no_grad():
            net.latent_avg.normal_(0, 0.5)
            for m in net.modules():  # non-trivial running statistics, as a trained net has
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.normal_(0, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
        meta = {"latentmotion.range": "-1,1", "latentmotion.kind": "encoder",
                "latentmotion.source": f"random weights, seed {a.seed} (test encoder, not trained)"}
        export(net, 64, a.out, meta, a.seed)
    elif a.psp:
        if a.psp_repo:
            sys.path.insert(0, os.path.expanduser(a.psp_repo))
        from argparse import Namespace
        from models.encoders import psp_encoders  # pixel2style2pixel
        ckpt = torch.load(a.psp, map_location="cpu")
        opts = Namespace(**ckpt["opts"])
        n_latent = 18 if getattr(opts, "output_size", 1024) == 1024 else int(2 * np.log2(opts.output_size) - 2)
        enc = psp_encoders.GradualStyleEncoder(50, "ir_se", opts)
        enc.load_state_dict({k[len("encoder."):]: v for k, v in ckpt["state_dict"].items() if k.startswith("encoder.")})
        net = PspWrapper(enc, ckpt["latent_avg"], n_latent)
        meta = {"latentmotion.range": "-1,1", "latentmotion.kind": "encoder",
                "latentmotion.source": f"pSp checkpoint {os.path.basename(a.psp)}"}
        export(net, 256, a.out, meta, a.seed)
    else:
        p.error("give --random or --psp CKPT")


if __name__ == "__main__":
    main()
