#!/usr/bin/python3
"""Trains the toy face's key-point detector: the default world's pose reader (issue 14).

Run with Debian's Python (torch + onnx), on one CPU thread, in a few minutes:
  /usr/bin/python3 datasets/models/toyface/make_keypoints.py            # train, export, evaluate
  /usr/bin/python3 datasets/models/toyface/make_keypoints.py --steps 300   # a quick, worse run

StyleFaceV supervises its pose extractor with a few key face points that a pre-trained landmark
detector finds: points that trace where the head is and the state of the face (mouth open or shut,
eyes open or shut), with as little identity as possible. This script makes that detector for the toy
face. The truth comes from the renderer's own geometry (make_toyface.Head, eye_geometry,
mouth_geometry, ... place the features the renderer draws, and the points here are computed by the
same functions); the detector is a small CNN that reads only pixels.

Writes, next to this script:
  keypoints.onnx             image float32 [N, 3, 128, 128] in [-1, 1] -> keypoints float32 [N, K, 2],
                             (x, y) in [-1, 1], x right, y down; metadata latentmotion.keypoints (names),
                             latentmotion.range = -1,1
  keypoints-reference.npz    held-out images, the PyTorch model's points, the geometry's points and the
                             face parameters: the fixture the Java KeypointModel is tested against
  keypoints-accuracy.txt     the held-out accuracy this run measured (what the README quotes)
and, for the Java tests of "a user's key-point model with another input size and range":
  src/test/resources/render/keypoints/keypoints-96-unit.onnx
                             the same detector behind a 96 x 96 input in [0, 1] (scaled to [-1, 1]
                             and resized to 128 inside the graph)

Deterministic: fixed seeds, torch threads = 1, data drawn from seeded generators.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_toyface as toy  # noqa: E402  (the renderer and its geometry)

RESOLUTION = 128
TEST_FIXTURE = os.path.join(HERE, "..", "..", "..", "src", "test", "resources", "render", "keypoints",
                            "keypoints-96-unit.onnx")

# Left and right as seen in the image (x < 0 is left), not the face's own left and right.
KEYPOINTS = [
    "leftEyeCentre", "leftUpperLid", "leftLowerLid",
    "rightEyeCentre", "rightUpperLid", "rightLowerLid",
    "noseTip",
    "leftMouthCorner", "rightMouthCorner", "upperLip", "lowerLip",
    "chin",
]
K = len(KEYPOINTS)
OFFSET_SCALE = 0.1      # lid and lip offsets are output in tenths of the image half-width
GAPS = [(KEYPOINTS.index(a), KEYPOINTS.index(b)) for a, b in
        (("leftUpperLid", "leftLowerLid"), ("rightUpperLid", "rightLowerLid"), ("upperLip", "lowerLip"))]
GAP_WEIGHT = 4.0        # the gaps carry the face's state: weighted in the loss beyond their two points


def keypoints_of(prm):
    """Ground truth [N, K, 2] in screen coordinates [-1, 1] for face parameters [N, P]: the renderer's geometry."""
    head = toy.Head(prm)
    pts = []
    for side in (-1.0, 1.0):
        fx, ex, ey, rx, ry = toy.eye_geometry(prm, head, side)
        # the lash line (upper lid) sits at ey - ry * arc with arc = 1 at the eye's middle; the lower lid at ey + ry
        pts += [(ex, ey), (ex, ey - ry), (ex, ey + ry)]
    # no brow points: the hair fringe often covers the brows, and a point the pixels do not show is a guess
    pts.append(toy.nose_tip(prm, head))
    mx, my, wid = toy.mouth_geometry(prm, head)
    smile, mo = toy.param(prm, "smile"), toy.param(prm, "mouthOpen")
    corner_y = my - smile * 0.08 + smile * 0.02      # the opening's centre line at s = +-1
    mid_y = my + smile * 0.02                       # ... and at s = 0
    half = 0.004 + mo * 0.16                        # the opening's half-height at s = 0
    pts += [(mx - wid, corner_y), (mx + wid, corner_y), (mx, mid_y - half), (mx, mid_y + half)]
    zero = torch.zeros_like(head.a)
    pts.append((zero, zero + 1.0))                  # the bottom of the head's outline
    out = []
    for u, v in pts:
        X, Y = head.screen(u, v)
        out.append(torch.stack([X.reshape(-1), Y.reshape(-1)], dim=-1))
    return torch.stack(out, dim=1)  # [N, K, 2]


def random_parameters(gen, n, identity=None):
    """n faces with every parameter uniform over its range (all poses, all states); `identity` fixes the identity ones."""
    lo = torch.tensor([p[3] for p in toy.PARAMETERS])
    hi = torch.tensor([p[4] for p in toy.PARAMETERS])
    prm = lo + (hi - lo) * torch.rand(n, toy.P, generator=gen)
    if identity is not None:
        for i, p in enumerate(toy.PARAMETERS):
            if p[1] == "identity":
                prm[:, i] = identity[i]
    return prm


class Detector(torch.nn.Module):
    """A small CNN: image [N, 3, 128, 128] in [-1, 1] -> points [N, K, 2]. Two coordinate channels are appended to
    the input (CoordConv), so the convolutions know where they look."""

    def __init__(self):
        super().__init__()
        axis = (torch.arange(RESOLUTION, dtype=torch.float32) + 0.5) / RESOLUTION * 2.0 - 1.0
        yy, xx = torch.meshgrid(axis, axis, indexing="ij")
        self.register_buffer("coords", torch.stack([xx, yy]).unsqueeze(0).contiguous())  # [1, 2, H, W]
        chans = [(5, 16, 2), (16, 32, 2), (32, 32, 1), (32, 48, 2), (48, 48, 1), (48, 64, 2), (64, 64, 2)]
        layers = []
        for cin, cout, stride in chans:
            layers += [torch.nn.Conv2d(cin, cout, 3, stride, 1, bias=False), torch.nn.BatchNorm2d(cout),
                       torch.nn.ReLU(inplace=True)]
        self.features = torch.nn.Sequential(*layers)  # -> [N, 64, 4, 4]
        self.head = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64 * 16, 128), torch.nn.ReLU(inplace=True),
                                        torch.nn.Linear(128, 2 * K))

    def forward(self, image):
        x = torch.cat([image, self.coords.expand(image.shape[0], -1, -1, -1)], dim=1)
        r = self.head(self.features(x)).view(-1, K, 2)
        # Lids and lips are placed relative to their eye centre or the mouth corners' midpoint: their gaps (what
        # blinks and speech change, a few pixels) are then outputs of their own, not differences of two absolute
        # positions whose errors do not cancel.
        left, right = r[:, 0:1], r[:, 3:4]
        mouth = 0.5 * (r[:, 7:8] + r[:, 8:9])
        return torch.cat([left, left + OFFSET_SCALE * r[:, 1:3], right, right + OFFSET_SCALE * r[:, 4:6], r[:, 6:9],
                          mouth + OFFSET_SCALE * r[:, 9:11], r[:, 11:12]], dim=1)


class OtherInput(torch.nn.Module):
    """The detector behind another interface: images [N, 3, 96, 96] in [0, 1] (a stand-in for a user's model)."""

    def __init__(self, detector):
        super().__init__()
        self.detector = detector

    def forward(self, image):
        x = F.interpolate(image * 2.0 - 1.0, size=(RESOLUTION, RESOLUTION), mode="bilinear", align_corners=False)
        return self.detector(x)


def render(face, prm):
    with torch.no_grad():
        return face.draw(prm)


def export(model, path, size, value_range, doc):
    import onnx
    model.eval()
    x = torch.zeros(2, 3, size, size)
    tmp = path + ".tmp"
    torch.onnx.export(model, (x,), tmp, input_names=["image"], output_names=["keypoints"],
                      dynamic_axes={"image": {0: "N"}, "keypoints": {0: "N"}}, opset_version=17,
                      do_constant_folding=True)
    m = onnx.load(tmp)
    onnx.checker.check_model(m)
    del m.metadata_props[:]
    for k, val in {"latentmotion.keypoints": ",".join(KEYPOINTS), "latentmotion.range": value_range,
                   "latentmotion.resolution": str(size), "latentmotion.kind": "keypoints"}.items():
        e = m.metadata_props.add()
        e.key, e.value = k, val
    m.doc_string = doc
    m.producer_name = "latentmotion make_keypoints.py"
    onnx.save(m, tmp)
    os.replace(tmp, path)


def correlation(a, b):
    return float(np.corrcoef(np.asarray(a, np.float64), np.asarray(b, np.float64))[0, 1])


def evaluate(net, face, prm, lines, title):
    """Held-out accuracy on faces `prm`: per-point error in pixels, and whether lid and lip gaps follow the state."""
    net.eval()
    truth = keypoints_of(prm)
    with torch.no_grad():
        pred = torch.cat([net(render(face, prm[i:i + 64])) for i in range(0, prm.shape[0], 64)])
    px = RESOLUTION / 2.0
    err = ((pred - truth) * px).norm(dim=-1).numpy()  # [N, K] pixels
    lines.append(f"{title}: {prm.shape[0]} renders")
    lines.append(f"  {'point':18s} {'mean px':>8s} {'p95 px':>8s} {'max px':>8s}")
    for k, name in enumerate(KEYPOINTS):
        lines.append(f"  {name:18s} {err[:, k].mean():8.3f} {np.percentile(err[:, k], 95):8.3f} {err[:, k].max():8.3f}")
    lines.append(f"  {'all':18s} {err.mean():8.3f} {np.percentile(err, 95):8.3f} {err.max():8.3f}")

    def gap(p, upper, lower):
        return ((p[:, lower] - p[:, upper]) * px).norm(dim=-1).numpy()

    eye = prm[:, toy.NAMES.index("eyeOpen")].numpy()
    mouth = prm[:, toy.NAMES.index("mouthOpen")].numpy()
    for label, up, low, state in (("left lid gap", "leftUpperLid", "leftLowerLid", eye),
                                  ("right lid gap", "rightUpperLid", "rightLowerLid", eye),
                                  ("lip gap", "upperLip", "lowerLip", mouth)):
        u, l = KEYPOINTS.index(up), KEYPOINTS.index(low)
        g_pred, g_true = gap(pred, u, l), gap(truth, u, l)
        lines.append(f"  {label:14s} mean |error| {np.abs(g_pred - g_true).mean():.3f} px, "
                     f"corr(pred, truth) {correlation(g_pred, g_true):.4f}, "
                     f"corr(pred, {'eyeOpen' if state is eye else 'mouthOpen'}) {correlation(g_pred, state):.4f} "
                     f"(truth's own: {correlation(g_true, state):.4f})")
    return pred, truth, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=8000)
    ap.add_argument("--pool", type=int, default=16384, help="faces rendered once and drawn from in training")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    face = toy.ToyFace(RESOLUTION).eval()
    net = Detector()
    print("detector parameters:", sum(p.numel() for p in net.parameters()))
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    gen = torch.Generator().manual_seed(1)
    px = RESOLUTION / 2.0
    t0 = time.time()
    # rendering costs as much as a training step, so a pool of faces is rendered once (stored as 8-bit pixels,
    # 0.8 GB for 16384 faces) and batches are drawn from it
    pool_prm = random_parameters(gen, args.pool)
    pool = torch.empty(args.pool, 3, RESOLUTION, RESOLUTION, dtype=torch.uint8)
    for i in range(0, args.pool, 256):
        pool[i:i + 256] = ((render(face, pool_prm[i:i + 256]) + 1.0) * 127.5).round().to(torch.uint8)
    pool_points = keypoints_of(pool_prm)
    print(f"rendered {args.pool} faces in {time.time() - t0:.0f} s", flush=True)
    for step in range(args.steps):
        net.train()
        pick = torch.randint(0, args.pool, (args.batch,), generator=gen)
        img = pool[pick].float() / 127.5 - 1.0
        target = pool_points[pick]
        pred = net(img)
        loss = F.smooth_l1_loss(pred * px, target * px, beta=0.5)
        for a, b in GAPS:
            loss = loss + GAP_WEIGHT / len(GAPS) * F.smooth_l1_loss((pred[:, b] - pred[:, a]) * px,
                                                                    (target[:, b] - target[:, a]) * px, beta=0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == args.steps - 1:
            print(f"step {step:5d}  loss {loss.item():.4f}  {time.time() - t0:6.1f} s", flush=True)
    net.eval()

    # held-out faces: another generator; random identities, and one fixed identity (as in a talking-head clip)
    held = torch.Generator().manual_seed(12345)
    lines = [f"make_keypoints.py: {args.steps} steps of {args.batch}, {time.time() - t0:.0f} s training on 1 thread"]
    test_prm = random_parameters(held, 1024)
    pred, truth, _ = evaluate(net, face, test_prm, lines, "random identities, poses and states")
    neutral = torch.tensor([p[5] for p in toy.PARAMETERS])
    evaluate(net, face, random_parameters(held, 512, identity=neutral), lines,
             "one identity (the average actor), random poses and states")
    report = "\n".join(lines)
    print(report)
    with open(os.path.join(HERE, "keypoints-accuracy.txt"), "w") as f:
        f.write(report + "\n")

    # the Java fixture: eight held-out faces, what PyTorch predicts on them, and the geometry's truth
    fixture_prm = test_prm[:8]
    images = render(face, fixture_prm)
    with torch.no_grad():
        points = net(images)
    np.savez(os.path.join(HERE, "keypoints-reference.npz"), image=images.numpy().astype(np.float32),
             keypoints=points.numpy().astype(np.float32), truth=keypoints_of(fixture_prm).numpy().astype(np.float32),
             parameters=fixture_prm.numpy().astype(np.float32), names=np.array(KEYPOINTS))
    export(net, os.path.join(HERE, "keypoints.onnx"), RESOLUTION, "-1,1",
           "latentmotion toy-face key points: image [N,3,128,128] in [-1,1] -> keypoints [N,K,2], (x, y) in [-1,1], "
           "x right, y down; K = 12 points named in metadata latentmotion.keypoints. A small CNN trained on renders "
           "of the toy face against the renderer's geometry. Made by datasets/models/toyface/make_keypoints.py.")
    os.makedirs(os.path.dirname(TEST_FIXTURE), exist_ok=True)
    export(OtherInput(net), TEST_FIXTURE, 96, "0,1",
           "test fixture: the toy-face key-point detector behind a 96x96 input in [0,1]. "
           "Made by datasets/models/toyface/make_keypoints.py.")
    print("wrote keypoints.onnx (%d bytes), keypoints-reference.npz, keypoints-accuracy.txt, %s"
          % (os.path.getsize(os.path.join(HERE, "keypoints.onnx")), os.path.relpath(TEST_FIXTURE, os.getcwd())))


if __name__ == "__main__":
    main()
