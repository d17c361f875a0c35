#!/usr/bin/python3
"""Builds the toy face: a StyleGAN-shaped ONNX model with known, interpretable latent directions.

Run with Debian's Python (torch + onnx):  /usr/bin/python3 datasets/models/toyface/make_toyface.py

Writes, next to this script:
  toyface.onnx            input w float32 [N, 18, 512] -> image float32 [N, 3, 128, 128] in [-1, 1]
  toyface-256.onnx        the same at 256 x 256 (only the pixel grid differs)
  directions.npy          float32 [P, 512], orthonormal rows: one unit direction per parameter
  toyface.json            parameter names, kinds (state / identity), layer groups, ranges, neutral values
  toyface-reference.npz   codes, the parameters PyTorch reads from them, and the images it draws
                          (fixtures for the Java ground-truth reader and the ONNX Runtime renderer)

How a parameter is read (the Java FaceCodec.decode does exactly this):
  x_p = mean over layers l in group(p) of  w[l, :] . direction_p
  p   = lo_p + (hi_p - lo_p) * sigmoid(x_p)
All directions are mutually orthogonal, so identity (face shape, colours, light) and state
(pose, mouth, eyes, brows, gaze) can be moved independently: the offset trick of StyleVideoGAN
(Sec. 3) works, while a naive offset carries the source frame's state into the new actor.
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
LAYERS, WIDTH = 18, 512
COARSE, MIDDLE, FINE = list(range(0, 4)), list(range(4, 8)), list(range(8, 18))

# name, kind, layer group, lo, hi, neutral value (state: rest pose; identity: average actor)
PARAMETERS = [
    ("yaw", "state", COARSE, -0.7, 0.7, 0.0),            # radians, head turns right (+) / left (-)
    ("pitch", "state", COARSE, -0.45, 0.45, 0.0),        # radians, head tilts down (+) / up (-)
    ("roll", "state", COARSE, -0.45, 0.45, 0.0),         # radians, in-plane tilt
    ("faceWidth", "identity", COARSE, 0.66, 0.9, 0.78),  # half-width of the head / half-height
    ("faceSize", "identity", COARSE, 0.56, 0.7, 0.63),   # half-height of the head / half-image
    ("hairVolume", "identity", COARSE, 0.0, 1.0, 0.5),
    ("mouthOpen", "state", MIDDLE, 0.0, 1.0, 0.03),
    ("smile", "state", MIDDLE, -1.0, 1.0, 0.1),
    ("eyeOpen", "state", MIDDLE, 0.0, 1.0, 0.88),
    ("browRaise", "state", MIDDLE, 0.0, 1.0, 0.25),
    ("gazeX", "state", MIDDLE, -1.0, 1.0, 0.0),
    ("gazeY", "state", MIDDLE, -1.0, 1.0, 0.0),
    ("eyeSpacing", "identity", MIDDLE, 0.25, 0.4, 0.32),
    ("eyeSize", "identity", MIDDLE, 0.13, 0.19, 0.16),
    ("mouthWidth", "identity", MIDDLE, 0.18, 0.34, 0.26),
    ("noseLength", "identity", MIDDLE, 0.08, 0.22, 0.15),
    ("skinTone", "identity", FINE, 0.0, 1.0, 0.5),       # 0 light .. 1 dark
    ("skinWarmth", "identity", FINE, 0.0, 1.0, 0.5),
    ("hairLightness", "identity", FINE, 0.0, 1.0, 0.4),
    ("hairRed", "identity", FINE, 0.0, 1.0, 0.3),
    ("irisHue", "identity", FINE, 0.0, 1.0, 0.5),
    ("backgroundHue", "identity", FINE, 0.0, 1.0, 0.5),
    ("backgroundLightness", "identity", FINE, 0.0, 1.0, 0.6),
    ("lightX", "identity", FINE, -1.0, 1.0, 0.0),
    ("lightY", "identity", FINE, -1.0, 1.0, -0.3),
]
NAMES = [p[0] for p in PARAMETERS]
P = len(PARAMETERS)
DIRECTION_SEED = 20240511


def directions():
    g = np.random.default_rng(DIRECTION_SEED).standard_normal((WIDTH, P))
    q, r = np.linalg.qr(g)
    q = q * np.sign(np.diag(r))  # unique signs
    return np.ascontiguousarray(q.T.astype(np.float32))  # [P, 512]


def group_matrix():
    m = np.zeros((P, LAYERS), np.float32)
    for i, (_, _, group, _, _, _) in enumerate(PARAMETERS):
        m[i, group] = 1.0 / len(group)
    return m


def soft(d, eps):
    """Soft inside-mask of a signed distance (negative inside)."""
    return torch.sigmoid(-d / eps)


def ellipse(u, v, cx, cy, rx, ry):
    """Approximate signed distance to an axis-aligned ellipse."""
    x, y = u - cx, v - cy
    q = torch.sqrt((x / rx) ** 2 + (y / ry) ** 2 + 1e-8)
    g = torch.sqrt((x / (rx * rx)) ** 2 + (y / (ry * ry)) ** 2 + 1e-8)  # |grad q| * q
    return q * (q - 1.0) / g


def over(img, colour, mask):
    return img * (1.0 - mask) + colour * mask


def palette(h, base, amp):
    """Smooth colour wheel: hue h in [0, 1] -> RGB [N, 3, 1, 1]."""
    phase = torch.tensor([0.0, 1.0 / 3.0, 2.0 / 3.0]).view(1, 3, 1, 1)
    return base + amp * torch.cos(2 * np.pi * (h + phase))


def param(prm, name):
    """Parameter `name` of a batch of parameter rows [N, P], shaped [N, 1, 1, 1] to broadcast over images."""
    return prm[:, NAMES.index(name)].view(-1, 1, 1, 1)


class Head:
    """Where the head is on screen: its turn, tilt, centre and size, and how a point on it is placed.

    Head-local coordinates (u, v) have the head's centre at 0 and its half-height 1; screen coordinates
    (X, Y) run over [-1, 1] (x right, y down). The face's features are placed with `place` (a point on
    the head surface with a depth, turned by yaw and pitch); the key points of make_keypoints.py use the
    same functions, so they sit where the renderer draws."""

    def __init__(self, prm):
        yaw, pitch, roll = param(prm, "yaw"), param(prm, "pitch"), param(prm, "roll")
        self.a, self.size = param(prm, "faceWidth"), param(prm, "faceSize")
        self.cy_, self.sy_ = torch.cos(yaw), torch.sin(yaw)
        self.cp_, self.sp_ = torch.cos(pitch), torch.sin(pitch)
        self.cr_, self.sr_ = torch.cos(roll), torch.sin(roll)
        self.cx, self.cy = 0.3 * self.sy_ * self.size, 0.06 + 0.15 * self.sp_ * self.size

    def local(self, X, Y):
        """Screen (X, Y) -> head-local (u, v): centre, undo roll, divide by size."""
        dx, dy = X - self.cx, Y - self.cy
        return (dx * self.cr_ + dy * self.sr_) / self.size, (-dx * self.sr_ + dy * self.cr_) / self.size

    def screen(self, u, v):
        """Head-local (u, v) -> screen (X, Y): the inverse of `local`."""
        return (self.cx + self.size * (u * self.cr_ - v * self.sr_),
                self.cy + self.size * (u * self.sr_ + v * self.cr_))

    def place(self, fx, fy, depth):
        """Head-local position of a point on the head surface (fx, fy) with the given depth."""
        return fx * self.cy_ + depth * self.sy_, fy * self.cp_ + depth * self.sp_

    def depth_of(self, fx, fy):
        return 0.9 * torch.sqrt(torch.clamp(1.0 - (fx / self.a) ** 2 - fy * fy, 0.05, 1.0))


def nose_tip(prm, head):
    """Head-local centre of the shadow under the nose tip; it sticks out, so it moves more than the face with yaw."""
    nl = param(prm, "noseLength")
    nfx, nfy = torch.zeros_like(head.a), 0.12 + nl * 0.6
    return head.place(nfx, nfy, head.depth_of(nfx, nfy) + 0.25 + nl)


def eye_geometry(prm, head, side):
    """Eye on `side` (-1 image left, +1 right): surface x, head-local centre (ex, ey), half-width rx, half-height ry."""
    a = head.a
    es, esz, eo = param(prm, "eyeSpacing"), param(prm, "eyeSize"), param(prm, "eyeOpen")
    smile = param(prm, "smile")
    eye_open = eo * (1.0 - 0.25 * torch.clamp(smile, 0.0, 1.0))  # smiling narrows the eyes a little
    fx, fy = side * es * torch.ones_like(a), -0.12 * torch.ones_like(a)
    ex, ey = head.place(fx, fy, head.depth_of(fx, fy))
    rx = esz * head.cy_ * (1.0 + 0.25 * side * head.sy_)
    ry = esz * 0.7 * (0.04 + 0.96 * eye_open)
    return fx, ex, ey, rx, ry


def brow_centre(prm, head, fx):
    """Head-local centre (bx, by) of the brow above the eye at surface x `fx`; it rises with browRaise."""
    br, esz = param(prm, "browRaise"), param(prm, "eyeSize")
    bfy = -0.12 - esz * 0.7 - 0.08 - 0.1 * br
    return head.place(fx, bfy, head.depth_of(fx, bfy))


def mouth_geometry(prm, head):
    """Head-local mouth centre (mx, my) and half-width; the opening's half-height at the middle is 0.004 + 0.16 mouthOpen."""
    a = head.a
    mo, mw, smile = param(prm, "mouthOpen"), param(prm, "mouthWidth"), param(prm, "smile")
    mfy = 0.52 * torch.ones_like(a)
    mx, my = head.place(torch.zeros_like(a), mfy, head.depth_of(torch.zeros_like(a), mfy))
    wid = mw * head.cy_ * (1.0 + 0.1 * torch.clamp(smile, 0.0, 1.0) - 0.12 * mo)
    return mx, my, wid


class ToyFace(torch.nn.Module):
    def __init__(self, resolution):
        super().__init__()
        self.register_buffer("directions", torch.from_numpy(directions()))           # [P, 512]
        self.register_buffer("groups", torch.from_numpy(group_matrix()).t().contiguous())  # [18, P]
        lo = np.array([p[3] for p in PARAMETERS], np.float32)
        hi = np.array([p[4] for p in PARAMETERS], np.float32)
        self.register_buffer("lo", torch.from_numpy(lo))
        self.register_buffer("span", torch.from_numpy(hi - lo))
        axis = (torch.arange(resolution, dtype=torch.float32) + 0.5) / resolution * 2.0 - 1.0
        yy, xx = torch.meshgrid(axis, axis, indexing="ij")
        self.register_buffer("X", xx.reshape(1, 1, resolution, resolution).contiguous())
        self.register_buffer("Y", yy.reshape(1, 1, resolution, resolution).contiguous())
        self.pixel = 2.0 / resolution

    def parameters_of(self, w):
        proj = torch.matmul(w, self.directions.t())          # [N, 18, P]
        x = (proj * self.groups.unsqueeze(0)).sum(dim=1)     # [N, P]: group mean of w . direction
        return self.lo + self.span * torch.sigmoid(x)

    def forward(self, w):
        prm = self.parameters_of(w)
        return self.draw(prm)

    def draw(self, prm):
        def p(name):
            return param(prm, name)

        X, Y = self.X, self.Y
        head_ = Head(prm)
        a, size = head_.a, head_.size
        cy_, sy_ = head_.cy_, head_.sy_
        sp_ = head_.sp_
        eps = 0.8 * self.pixel / size  # about one pixel, in head units

        # colours
        tone, warm = p("skinTone"), p("skinWarmth")
        light_skin = torch.tensor([1.0, 0.86, 0.74]).view(1, 3, 1, 1)
        dark_skin = torch.tensor([0.42, 0.27, 0.18]).view(1, 3, 1, 1)
        skin = light_skin * (1 - tone) + dark_skin * tone
        skin = skin * (1.0 + (warm - 0.5) * torch.tensor([0.12, -0.02, -0.14]).view(1, 3, 1, 1))
        hl, hr = p("hairLightness"), p("hairRed")
        hair = (0.08 + 0.75 * hl) * (torch.tensor([1.0, 0.82, 0.62]).view(1, 3, 1, 1)
                                     + hr * torch.tensor([0.0, -0.35, -0.5]).view(1, 3, 1, 1))
        iris = palette(p("irisHue"), 0.35, 0.25)
        bg_l = p("backgroundLightness")
        background = palette(p("backgroundHue"), 0.35 + 0.45 * bg_l, 0.18)
        shirt = palette(p("backgroundHue") + 0.5, 0.3, 0.2)
        lip_colour = skin * torch.tensor([0.8, 0.42, 0.42]).view(1, 3, 1, 1)
        mouth_dark = torch.tensor([0.22, 0.04, 0.07]).view(1, 3, 1, 1)
        teeth = torch.tensor([0.93, 0.92, 0.86]).view(1, 3, 1, 1)
        sclera = torch.tensor([0.96, 0.96, 0.93]).view(1, 3, 1, 1)
        lash = torch.tensor([0.12, 0.08, 0.07]).view(1, 3, 1, 1)

        # light direction (towards the light), normalised
        lx, ly = p("lightX"), p("lightY")
        ln = torch.sqrt(lx * lx + ly * ly + 1.0)
        lx, ly, lz = lx / ln, ly / ln, 1.0 / ln

        # background: a soft vertical gradient, then shoulders
        img = background * (1.08 - 0.16 * (Y + 1.0) / 2.0)
        img = over(img, shirt, soft(ellipse(X, Y, 0.0, 1.32, torch.full_like(a, 0.95), torch.full_like(a, 0.5)),
                                     0.8 * self.pixel))

        # head-local coordinates: centre, undo roll, divide by size (head half-height = 1)
        u, v = head_.local(X, Y)

        # neck (behind the head), shaded darker
        neck_d = torch.maximum(torch.abs(u) - 0.42 * a / 0.78, torch.maximum(0.55 - v, v - 2.2))
        img = over(img, skin * 0.72, soft(neck_d, eps))

        # hair behind the head
        vol = p("hairVolume")
        back_hair = ellipse(u, v, 0.0 * a, -0.12 - 0.05 * vol, a * (1.1 + 0.14 * vol), 1.0 + 0.12 * vol)
        back_hair = torch.maximum(back_hair, v - (0.15 + 0.35 * vol))
        light_hair = 0.75 + 0.25 * torch.clamp(-(u / a) * lx - v * ly, 0.0, 1.0)
        img = over(img, hair * light_hair, soft(back_hair, eps))

        # ears, which move with yaw (they sit behind the face's centre)
        ear_y = -0.02 + 0.1 * sp_
        for side in (-1.0, 1.0):
            ex = side * a * cy_ - 0.25 * sy_
            ear = ellipse(u, v, ex, ear_y, 0.11 * cy_ + 0.03, torch.full_like(a, 0.19))
            img = over(img, skin * 0.85, soft(ear, eps))

        # the face: an ellipsoid with half-axes (a, 1, 0.9), Lambert shading
        head = ellipse(u, v, torch.zeros_like(a), torch.zeros_like(a), a, torch.ones_like(a))
        head_mask = soft(head, eps)
        nx, ny = u / a, v
        nz = torch.sqrt(torch.clamp(1.0 - nx * nx - ny * ny, 0.0, 1.0) + 1e-6)
        shade = 0.55 + 0.5 * torch.clamp(nx * lx + ny * ly + nz * lz, 0.0, 1.0)
        img = over(img, skin * shade, head_mask)

        # nose: a soft shadow under the tip, moving more than the face with yaw (it sticks out)
        ntx, nty = nose_tip(prm, head_)
        nose = ellipse(u, v, ntx, nty, 0.085 * cy_ + 0.01, 0.05 + 0.0 * a)
        img = over(img, skin * shade * 0.78, 0.85 * soft(nose, eps) * head_mask)
        bridge = torch.maximum(torch.abs(u - (ntx - 0.03 * sy_ * (nty - v))) - 0.018,
                               torch.maximum(-0.05 - v, v - nty + 0.02))
        img = over(img, skin * shade * 0.86, 0.6 * soft(bridge, eps) * head_mask)

        # eyes: sclera (height follows eyeOpen), iris and pupil moved by gaze, a lash line
        esz = p("eyeSize")
        gx, gy = p("gazeX"), p("gazeY")
        smile = p("smile")
        for side in (-1.0, 1.0):
            fx, ex, ey, rx, ry = eye_geometry(prm, head_, side)
            # a lens shape, robust when the eye is almost shut (the ellipse distance is not)
            se = (u - ex) / rx
            arc = torch.sqrt(torch.clamp(1.0 - se * se, 0.0, 1.0) + 1e-6)
            white = torch.maximum(torch.abs(v - ey) - ry * arc, (torch.abs(se) - 1.0) * rx)
            white_mask = soft(white, eps) * head_mask
            img = over(img, sclera, white_mask)
            ir = esz * 0.4
            ix, iy = ex + gx * rx * 0.5, ey + gy * esz * 0.25
            iris_d = ellipse(u, v, ix, iy, ir * cy_, ir)
            img = over(img, iris, soft(iris_d, eps) * white_mask)
            pupil = ellipse(u, v, ix, iy, 0.45 * ir * cy_, 0.45 * ir)
            img = over(img, lash, soft(pupil, eps) * white_mask)
            # lash line along the upper lid: a dark arc that becomes a line when the eye closes
            lid = ey - ry * arc
            lash_d = torch.maximum(torch.abs(v - lid) - 0.016, (torch.abs(se) - 1.08) * rx)
            img = over(img, lash, 0.9 * soft(lash_d, eps) * head_mask)

            # brow: an arc above the eye that rises with browRaise
            br = p("browRaise")
            bx, by = brow_centre(prm, head_, fx)
            s = (u - bx) / (esz * 1.35 * cy_)
            arch = by - (0.045 + 0.03 * br) * torch.clamp(1.0 - s * s, 0.0, 1.0) + 0.02 * side * s * (br - 0.3)
            brow = torch.maximum(torch.abs(v - arch) - 0.026 * torch.clamp(1.2 - 0.6 * s * side, 0.4, 1.2),
                                 (torch.abs(s) - 1.0) * esz)
            img = over(img, hair * 0.7, soft(brow, eps) * head_mask)

        # mouth: lips around an opening whose height follows mouthOpen; smile bends the corners
        mo = p("mouthOpen")
        mx, my, wid = mouth_geometry(prm, head_)
        s = (u - mx) / wid
        cap = torch.sqrt(torch.clamp(1.0 - s * s, 0.0, 1.0) + 1e-6)
        centre = my - smile * 0.08 * s * s + smile * 0.02
        half = 0.004 + mo * 0.16 * cap
        inner = torch.maximum(torch.abs(v - centre) - half, (torch.abs(s) - 1.0) * wid)
        lips = torch.maximum(torch.abs(v - centre) - (half + 0.035 * cap + 0.01), (torch.abs(s) - 1.06) * wid)
        img = over(img, lip_colour * shade, soft(lips, eps) * head_mask)
        inner_mask = soft(inner, eps) * head_mask
        img = over(img, mouth_dark, inner_mask)
        upper_teeth = torch.maximum(inner, v - (centre - half + 0.045))
        show_teeth = torch.sigmoid((mo - 0.15) / 0.04)  # a nearly shut mouth shows a dark line, no teeth
        img = over(img, teeth, 0.9 * show_teeth * soft(upper_teeth, eps) * head_mask)

        # hair fringe in front of the forehead
        hairline = -0.52 + 0.1 * vol + 0.35 * (u / a) ** 2 - 0.06 * torch.cos(9.0 * u / a)
        fringe = torch.maximum(head - 0.02, v - hairline)
        img = over(img, hair * light_hair, soft(fringe, eps))

        return torch.clamp(img, 0.0, 1.0) * 2.0 - 1.0


def export(model, path, resolution):
    import onnx
    w = torch.zeros(2, LAYERS, WIDTH)
    torch.onnx.export(model, (w,), path, input_names=["w"], output_names=["image"],
                      dynamic_axes={"w": {0: "N"}, "image": {0: "N"}}, opset_version=17,
                      do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    meta = {
        "latentmotion.range": "-1,1",
        "latentmotion.layers": str(LAYERS),
        "latentmotion.width": str(WIDTH),
        "latentmotion.resolution": str(resolution),
        "latentmotion.parameters": ",".join(NAMES),
    }
    del m.metadata_props[:]
    for k, val in meta.items():
        e = m.metadata_props.add()
        e.key, e.value = k, val
    m.doc_string = ("latentmotion toy face: a StyleGAN-synthesis-shaped model (w [N,18,512] -> image "
                    "[N,3,H,W] in [-1,1]). Fixed orthonormal directions read pose and shape from layers "
                    "0-3, mouth/eyes/brows/gaze from 4-7, colours and light from 8-17; a soft 2-D "
                    "renderer draws the face. Made by datasets/models/toyface/make_toyface.py.")
    m.producer_name = "latentmotion make_toyface.py"
    tmp = path + ".tmp"
    onnx.save(m, tmp)
    os.replace(tmp, path)


def neutral_code(rng, identity_spread=1.0):
    """A code for an actor with random identity and the neutral state (what ToyWorld.randomActor does)."""
    d = directions()
    w = rng.standard_normal((LAYERS, WIDTH)).astype(np.float32) * 0.5
    w -= (w @ d.T) @ d
    groups = group_matrix()
    for i, (name, kind, group, lo, hi, neutral) in enumerate(PARAMETERS):
        q = (neutral - lo) / (hi - lo)
        x = np.log(q / (1 - q))
        if kind == "identity":
            x += identity_spread * rng.standard_normal()
        w[group] += x * d[i]
    return w


def main():
    torch.manual_seed(0)
    spec = {
        "layers": LAYERS, "width": WIDTH, "resolution": 128,
        "reading": "x = mean over the group's layers of w[l] . direction; value = lo + (hi - lo) * sigmoid(x)",
        "directions": "directions.npy",
        "parameters": [
            {"name": n, "kind": k, "layers": g, "lo": lo, "hi": hi, "neutral": neu}
            for (n, k, g, lo, hi, neu) in PARAMETERS
        ],
    }
    np.save(os.path.join(HERE, "directions.npy"), directions())
    with open(os.path.join(HERE, "toyface.json.tmp"), "w") as f:
        json.dump(spec, f, indent=1)
    os.replace(os.path.join(HERE, "toyface.json.tmp"), os.path.join(HERE, "toyface.json"))

    model = ToyFace(128).eval()
    export(model, os.path.join(HERE, "toyface.onnx"), 128)
    if "--no-256" not in sys.argv:
        export(ToyFace(256).eval(), os.path.join(HERE, "toyface-256.onnx"), 256)

    # reference fixtures: three actors in the neutral state, one with mouth open / eyes closed / turned
    rng = np.random.default_rng(7)
    codes = np.stack([neutral_code(rng) for _ in range(4)])
    d = directions()
    for name, val in (("mouthOpen", 3.0), ("eyeOpen", -6.0), ("yaw", 1.2), ("smile", 1.5)):
        i = NAMES.index(name)
        codes[3, PARAMETERS[i][2]] += val * d[i]
    codes[2] += 0.05 * rng.standard_normal(codes[2].shape).astype(np.float32)  # embedding-like jitter
    with torch.no_grad():
        w = torch.from_numpy(codes)
        params = model.parameters_of(w).numpy()
        images = model(w).numpy()
    np.savez(os.path.join(HERE, "toyface-reference.npz"), w=codes, parameters=params.astype(np.float32),
             image=images.astype(np.float32))
    print("wrote", [f for f in sorted(os.listdir(HERE)) if not f.endswith(".py")])


if __name__ == "__main__":
    main()
