"""The toy face rendered in torch eager: the same torch module datasets/models/toyface/make_toyface.py exports
to toyface.onnx, run on codes [N, 18, 512] and converted to 8-bit RGB frames (what Synthesizer.renderFrames
returns in Java). Batch 1, 8, 32; frames/s.

Usage: /usr/bin/python3 bench/torch/bench_render_toyface.py --threads N [--quick] --out FILE.json
"""
import argparse
import os
import sys

import torch

import benchcommon as bc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "datasets", "models", "toyface"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    bc.setup_threads(a.threads)
    rows = []
    try:
        from make_toyface import ToyFace  # noqa: E402  (the module the shipped ONNX file was exported from)
        face = ToyFace(128).eval()
    except Exception as e:  # the model script moved or changed: say so instead of a number
        for b in (1, 8, 32):
            rows.append(bc.not_measured(f"toyface/b{b}", f"toy face render (ONNX Runtime), batch {b}", "frames/s",
                                        f"cannot build the torch ToyFace: {e}", bc.command_line()))
        bc.write(a.out, {"impl": "pytorch", "info": bc.info(a.threads), "rows": rows})
        return
    torch.manual_seed(11)
    for b in (1, 8, 32):
        w = torch.randn(b, 18, 512) * 0.5

        def render():
            with torch.no_grad():
                img = face(w)
                return ((img.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).contiguous()

        reps = 1 if a.quick else max(1, 32 // b)  # full: ~32 frames per timed sample

        def batch():
            for _ in range(reps):
                render()

        samples = [reps * b / s for s in bc.time_it(batch, 1 if a.quick else 2, 2 if a.quick else 5)]
        mean, err = bc.summary(samples)
        rows.append(bc.row(f"toyface/b{b}", f"toy face render (ONNX Runtime), batch {b}", mean, "frames/s", True,
                           samples, bc.command_line(), "torch eager ToyFace module (make_toyface.py)", err))
        print(f"toy face batch {b}: {mean:.1f} frames/s")
    bc.write(a.out, {"impl": "pytorch", "info": bc.info(a.threads), "rows": rows})


if __name__ == "__main__":
    main()
