"""Reference outputs of StyleVideoGAN from the PyTorch implementation (stylevideogan.py).

Reads the model saved by the Java StyleVideoGan (src/test/resources/motion/reference/gan.npz) and the
fixed inputs written by TorchReferenceTest (inputs.npz), runs one critic step's WGAN-GP terms and
one generator step's adversarial + gradient-angle-penalty terms in float64, and writes the outputs
and the gradients of both losses with respect to every parameter to torch.npz in the same folder.

Run offline with Debian's torch:  /usr/bin/python3 bench/torch/make_gan_reference.py
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stylevideogan as svg  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)  # nothing random is drawn; set for good measure

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DIR = os.path.join(ROOT, "src", "test", "resources", "motion", "reference")


def main():
    gan_npz = np.load(os.path.join(DIR, "gan.npz"))
    inputs = np.load(os.path.join(DIR, "inputs.npz"))
    cfg = svg.Config.parse(bytes(gan_npz["meta.config"].astype(np.uint8)).decode("utf-8"))
    arrays = {k: gan_npz[k].astype(np.float64) for k in gan_npz.files if not k.startswith("meta.")}
    model = svg.StyleVideoGan(cfg, arrays, dtype=torch.float64)
    t64 = lambda name: torch.tensor(inputs[name], dtype=torch.float64)  # noqa: E731
    out = {}

    # critic step: fakes in training mode without moving running statistics (Mode.TRAIN_FROZEN)
    c = model.critic_loss(t64("real"), t64("critic_i"), t64("critic_s"), t64("critic_eps"), update=False)
    critic_params = model.critic_parameters()
    grads = torch.autograd.grad(c["loss"], list(critic_params.values()))
    out["critic.fake"] = c["fake"].reshape(-1, c["fake"].shape[-1])
    for k in ("loss", "wasserstein", "gp"):
        out["critic." + k] = c[k].reshape(1)
    out["critic.d_real"] = c["d_real"]
    out["critic.d_fake"] = c["d_fake"]
    for name, gr in zip(critic_params.keys(), grads):
        out["critic.grad." + name] = gr

    # generator step at the stored GAP statistics, running statistics frozen
    g = model.generator_loss(t64("generator_i"), t64("generator_s"), update=False)
    gen_params = model.generator_parameters()
    ggrads = torch.autograd.grad(g["loss"], list(gen_params.values()))
    for k in ("loss", "adversarial", "gap"):
        out["generator." + k] = g[k].reshape(1)
    for k in ("phi", "norm_s", "norm_i"):
        out["generator." + k] = g[k]
    for name, gr in zip(gen_params.keys(), ggrads):
        out["generator.grad." + name] = gr

    arrays = {k: v.detach().numpy().astype(np.float64) for k, v in out.items()}
    tmp = os.path.join(DIR, ".torch.npz.tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, os.path.join(DIR, "torch.npz"))
    print("wrote %d arrays to %s: critic loss %.6f (GP %.6f), generator loss %.6f (GAP %.6f, mean phi %.4f rad)"
          % (len(arrays), os.path.join(DIR, "torch.npz"), c["loss"].item(), c["gp"].item(), g["loss"].item(),
             g["gap"].item(), g["phi"].mean().item()))


if __name__ == "__main__":
    main()
