#!/usr/bin/python3
"""Makes two tiny feature extractors as ONNX files, plus PyTorch reference outputs, for the
metrics tests. They stand in for the real ones (Inception for FID, I3D for FVD), which users
export themselves (see README.md): same kind of interface, a few kilobytes of random weights.

  test_image_features.onnx  input "images" float32 [N, 3, 32, 32] (NCHW), range [0, 1]
                            output "features" float32 [N, 10]
  test_clip_features.onnx   input "clips" float32 [N, 8, 24, 24, 3] (NTHWC, like TF-Hub I3D),
                            range [-1, 1]; output "features" float32 [N, 8]

Reference fixtures (src/test/resources/metrics/extractors/*.npy): the inputs as the toolkit gets
them (frames in [-1, 1], at another size), and the features PyTorch computes after the same
preprocessing the toolkit must do:
  image: [-1, 1] -> [0, 1], then F.interpolate(bilinear, align_corners=False) to 32x32
         (what pytorch-fid does before Inception);
  clip:  resized to 24x24 with TF1's legacy bilinear resize (no half-pixel centres, as the FVD
         reference's tf.image.resize_bilinear), written out here in numpy; then NTHWC.

Run from the project root:  /usr/bin/python3 datasets/models/features/make_test_extractors.py
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MODELS = os.path.join(ROOT, "datasets", "models", "features")
FIXTURES = os.path.join(ROOT, "src", "test", "resources", "metrics", "extractors")


class TinyImageNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.c2 = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = torch.nn.Linear(16, 10)

    def forward(self, images):
        x = images * 2 - 1  # like pytorch-fid's Inception: takes [0, 1], works in [-1, 1]
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(x))
        return self.fc(x.mean(dim=(2, 3)))


class TinyClipNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv3d(3, 6, 3, stride=2, padding=1)
        self.fc = torch.nn.Linear(6, 8)

    def forward(self, clips):  # [N, T, H, W, C]
        x = clips.permute(0, 4, 1, 2, 3)
        x = F.relu(self.c1(x))
        return self.fc(x.mean(dim=(2, 3, 4)))


def tf_legacy_bilinear(x, out_h, out_w):
    """TF1 resize_bilinear(align_corners=False, half_pixel_centers=False) on [..., H, W]."""
    in_h, in_w = x.shape[-2:]
    def coords(n_out, n_in):
        src = np.arange(n_out) * (n_in / n_out)
        lo = np.floor(src).astype(int)
        hi = np.minimum(lo + 1, n_in - 1)
        return lo, hi, src - lo
    y0, y1, fy = coords(out_h, in_h)
    x0, x1, fx = coords(out_w, in_w)
    top = x[..., y0, :] * (1 - fy)[:, None] + x[..., y1, :] * fy[:, None]
    return top[..., x0] * (1 - fx) + top[..., x1] * fx


def export(model, example, name, input_name, path):
    torch.onnx.export(model, example, path, input_names=[input_name], output_names=["features"],
                      dynamic_axes={input_name: {0: "N"}, "features": {0: "N"}}, opset_version=13)


def main():
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(FIXTURES, exist_ok=True)
    torch.manual_seed(20260611)
    rng = np.random.default_rng(7)

    image_net = TinyImageNet().eval()
    export(image_net, torch.zeros(1, 3, 32, 32), "image", "images", os.path.join(MODELS, "test_image_features.onnx"))
    frames = rng.uniform(-1, 1, size=(5, 3, 40, 48)).astype(np.float32)
    with torch.no_grad():
        x = (torch.from_numpy(frames) + 1) / 2
        x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
        feats = image_net(x).numpy().astype(np.float32)
    np.save(os.path.join(FIXTURES, "image_frames.npy"), frames)
    np.save(os.path.join(FIXTURES, "image_features.npy"), feats)

    clip_net = TinyClipNet().eval()
    export(clip_net, torch.zeros(1, 8, 24, 24, 3), "clip", "clips", os.path.join(MODELS, "test_clip_features.onnx"))
    clips = rng.uniform(-1, 1, size=(3, 8, 3, 30, 36)).astype(np.float32)  # [N, T, C, H, W]
    resized = tf_legacy_bilinear(clips.astype(np.float64), 24, 24).astype(np.float32)
    with torch.no_grad():
        feats = clip_net(torch.from_numpy(resized).permute(0, 1, 3, 4, 2).contiguous()).numpy().astype(np.float32)
    np.save(os.path.join(FIXTURES, "clip_frames.npy"), clips)
    np.save(os.path.join(FIXTURES, "clip_features.npy"), feats)
    print("models in", MODELS, "- fixtures in", FIXTURES)


if __name__ == "__main__":
    main()
