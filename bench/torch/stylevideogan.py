"""StyleVideoGAN (seed 002, Sec. 3 and supplemental Tables 4-7) in PyTorch.

A second, independent implementation of the architecture and losses that the Java toolkit's
``org.latentmotion.motion.StyleVideoGan`` implements on its own autodiff tape. It exists to check
the Java model (same weights -> same outputs and parameter gradients, see make_gan_reference.py)
and to time a training step on the same machine (bench).

Architecture (t frames, L layers of width D, latent 32, hidden 32):
  generator  i ~ N(0,1)^latent, s ~ N(0,1)^{(t-1) x latent}
    H   hallucinator: 4 x (Linear + LeakyReLU) latent -> 3*hidden, BatchNorm   -> h0_0, h0_1, h0_2
    P   4 stacked GRU cells (hidden), h0_3 := i; l_0 = i (state of the last cell), l_{k+1} from s_k
    T   mapper: BatchNorm + Linear + PixelNorm -> mapWidth; 4 x (Linear + LeakyReLU);
        BatchNorm + Linear; L parallel (Linear + LeakyReLU + BatchNorm) -> W+ [t, L, D]
  critic     E per frame: 2 x (Linear + LeakyReLU) L*D -> 512, 4 x (Linear + LeakyReLU) -> 32,
             then a 1-D DCGAN critic over time without batch norm -> one scalar per sequence.
  losses     critic:    mean D(fake) - mean D(real) + lambda_gp * mean((|grad_x D(x_hat)| - 1)^2)
             generator: -mean D(fake) + lambda_gap * max(0, pi/4 - phi)^2,
             phi = atan(|dd/ds| / |dd/di|), d = |norm(l_{t-1} - l_0)| with running statistics.

The exact layer layout (names, shapes, GRU gate order, where batch statistics are taken) follows
the Java model's documented parameter layout, so that weights saved there load here by name.
"""
import math

import numpy as np

import torch
import torch.nn.functional as F

torch.set_num_threads(2)


def leaky(x, slope):
    return F.leaky_relu(x, slope)


class Linear:
    """y = x @ W + b with W [in, out] (the Java layout)."""

    def __init__(self, p, name):
        self.w = p[name + ".weight"]
        self.b = p[name + ".bias"]

    def __call__(self, x):
        return x @ self.w + self.b


class BatchNorm:
    """BatchNorm1d over the rows of [N, F] (eps 1e-5, momentum 0.1, unbiased running variance)."""
    EPS = 1e-5
    MOMENTUM = 0.1

    def __init__(self, p, buffers, name):
        self.gamma = p[name + ".weight"]
        self.beta = p[name + ".bias"]
        self.name = name
        self.buffers = buffers

    def __call__(self, x, training, update=True):
        if training:
            mean = x.mean(0)
            var = ((x - mean) ** 2).mean(0)
            if update:
                with torch.no_grad():
                    n = x.shape[0]
                    rm = self.buffers[self.name + ".running_mean"]
                    rv = self.buffers[self.name + ".running_var"]
                    rm.mul_(1 - self.MOMENTUM).add_(self.MOMENTUM * mean.detach())
                    rv.mul_(1 - self.MOMENTUM).add_(self.MOMENTUM * var.detach() * n / (n - 1))
        else:
            mean = self.buffers[self.name + ".running_mean"]
            var = self.buffers[self.name + ".running_var"]
        return (x - mean) / torch.sqrt(var + self.EPS) * self.gamma + self.beta


def pixel_norm(x, eps=1e-8):
    return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps)


class GRUCell:
    """torch.nn.GRUCell's equations; weights stored transposed ([in, 3H], [H, 3H]) as in Java."""

    def __init__(self, p, name):
        self.w_ih = p[name + ".weight_ih"]
        self.w_hh = p[name + ".weight_hh"]
        self.b_ih = p[name + ".bias_ih"]
        self.b_hh = p[name + ".bias_hh"]

    def __call__(self, x, h):
        # the library cell on the transposed weights: an implementation independent of the Java one
        return torch._VF.gru_cell(x, h, self.w_ih.t(), self.w_hh.t(), self.b_ih, self.b_hh)


class Conv1d:
    """Channels-last 1-D convolution; Java weight [K*C_in, C_out] = torch w[o, c, j] at row j*C_in + c."""

    def __init__(self, p, name, c_in, kernel, stride, padding):
        self.w = p[name + ".weight"]
        self.b = p[name + ".bias"]
        self.c_in = c_in
        self.kernel = kernel
        self.stride = stride
        self.padding = padding

    def __call__(self, x):  # x [B, T, C_in] -> [B, T_out, C_out]
        c_out = self.w.shape[1]
        w = self.w.reshape(self.kernel, self.c_in, c_out).permute(2, 1, 0)
        y = F.conv1d(x.transpose(1, 2), w, self.b, stride=self.stride, padding=self.padding)
        return y.transpose(1, 2)


# ---------------------------------------------------------------------------------------------
# the model


class Config:
    """The sizes of a StyleVideoGanConfig (read from the Java model file's meta.config)."""

    def __init__(self, **kw):
        self.batch = int(kw.get("batch", 128))
        self.window_length = int(kw.get("windowLength", 25))
        self.layers = int(kw.get("layers", 18))
        self.width = int(kw.get("width", 512))
        self.latent = int(kw.get("latentDim", 32))
        self.hidden = int(kw.get("hidden", 32))
        self.hallucinator_width = int(kw.get("hallucinatorWidth", 96))
        self.mapper_width = int(kw.get("mapperWidth", 512))
        self.critic_width = int(kw.get("criticWidth", 512))
        self.critic_features = int(kw.get("criticFeatures", 32))
        self.critic_channels = int(kw.get("criticChannels", 64))
        self.lambda_gp = float(kw.get("lambdaGp", 50))
        self.lambda_gap = float(kw.get("lambdaGap", 100))
        self.slope = float(kw.get("leakySlope", 0.2))
        self.lr_generator = float(kw.get("lrGenerator", 0.005))
        self.lr_critic = float(kw.get("lrCritic", 0.005))
        self.beta1 = float(kw.get("beta1", 0.0))
        self.beta2 = float(kw.get("beta2", 0.9))

    @staticmethod
    def parse(text):
        kw = {}
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                kw[k.strip()] = v.strip()
        return Config(**kw)

    def extractor_widths(self):
        w, f = self.critic_width, self.critic_features
        out = [w, w]
        for j in range(1, 5):
            out.append(f if j == 4 else int(math.floor(w * (f / w) ** (j / 4.0) + 0.5)))
        return out

    def shapes(self):
        """Name -> shape of every generator and critic parameter/buffer, as in the Java layout."""
        s = {}
        hw, hid, lat, m = self.hallucinator_width, self.hidden, self.latent, self.mapper_width

        def lin(name, i, o):
            s[name + ".weight"] = (i, o)
            s[name + ".bias"] = (o,)

        def bn(name, f):
            for k in ("weight", "bias", "running_mean", "running_var"):
                s[name + "." + k] = (f,)

        for j in range(4):
            lin("generator.hallucinator.fc%d" % j, lat if j == 0 else hw, 3 * hid if j == 3 else hw)
        bn("generator.hallucinator.bn", 3 * hid)
        for j in range(4):
            n = "generator.producer.gru%d" % j
            s[n + ".weight_ih"] = (lat if j == 0 else hid, 3 * hid)
            s[n + ".weight_hh"] = (hid, 3 * hid)
            s[n + ".bias_ih"] = (3 * hid,)
            s[n + ".bias_hh"] = (3 * hid,)
        bn("generator.mapper.bn_in", hid)
        lin("generator.mapper.affine_in", hid, m)
        for j in range(4):
            lin("generator.mapper.fc%d" % j, m, m)
        bn("generator.mapper.bn_mid", m)
        lin("generator.mapper.affine_mid", m, m)
        lin("generator.mapper.heads", m, self.layers * self.width)
        bn("generator.mapper.heads_bn", self.layers * self.width)
        f_in = self.layers * self.width
        for j, w in enumerate(self.extractor_widths()):
            lin("critic.fc%d" % j, f_in, w)
            f_in = w
        length, ch, out = self.window_length, self.critic_features, self.critic_channels
        j = 0
        while length > 4:
            s["critic.conv%d.weight" % j] = (4 * ch, out)
            s["critic.conv%d.bias" % j] = (out,)
            length = (length + 2 - 4) // 2 + 1
            ch, out, j = out, out * 2, j + 1
        s["critic.conv%d.weight" % j] = (length * ch, 1)
        s["critic.conv%d.bias" % j] = (1,)
        return s


def is_buffer(name):
    return name.endswith(".running_mean") or name.endswith(".running_var")


class StyleVideoGan:
    """Parameters (leaf tensors with requires_grad) and buffers by their Java names."""

    def __init__(self, cfg, arrays, dtype=torch.float64):
        self.cfg = cfg
        self.params = {}
        self.buffers = {}
        for name, shape in cfg.shapes().items():
            a = torch.tensor(arrays[name], dtype=dtype).reshape(shape)
            if is_buffer(name):
                self.buffers[name] = a.clone()
            else:
                self.params[name] = a.clone().requires_grad_(True)
        self.data_mean = torch.tensor(arrays["stats.data_mean"], dtype=dtype).reshape(-1)
        self.data_scale = torch.tensor(arrays["stats.data_scale"], dtype=dtype).reshape(-1)
        self.gap_mean = torch.tensor(arrays["stats.gap_mean"], dtype=dtype).reshape(-1)
        self.gap_var = torch.tensor(arrays["stats.gap_var"], dtype=dtype).reshape(-1)

    def generator_parameters(self):
        return {k: v for k, v in self.params.items() if k.startswith("generator.")}

    def critic_parameters(self):
        return {k: v for k, v in self.params.items() if k.startswith("critic.")}

    def bn(self, name, x, training, update):
        return BatchNorm(self.params, self.buffers, name)(x, training, update)

    # G -------------------------------------------------------------------------------------
    def generate(self, i, s, training=True, update=True):
        """i [B, lat], s [B, (t-1)*lat] -> standardised codes [B, t, L*D], l_0, l_{t-1}."""
        c, p = self.cfg, self.params
        b, lat, hid = i.shape[0], c.latent, c.hidden
        steps = s.shape[1] // lat
        x = i
        for j in range(4):
            x = leaky(Linear(p, "generator.hallucinator.fc%d" % j)(x), c.slope)
        m = self.bn("generator.hallucinator.bn", x, training, update)
        h = [m[:, 0:hid], m[:, hid:2 * hid], m[:, 2 * hid:3 * hid], i]
        cells = [GRUCell(p, "generator.producer.gru%d" % j) for j in range(4)]
        latents = [i]
        for k in range(steps):
            h[0] = cells[0](s[:, k * lat:(k + 1) * lat], h[0])
            for j in range(1, 4):
                h[j] = cells[j](h[j - 1], h[j])
            latents.append(h[3])
        l = torch.stack(latents, 1).reshape(b * (steps + 1), hid)
        codes = self.map(l, training, update)
        return codes.reshape(b, steps + 1, -1), latents[0], latents[-1]

    def map(self, l, training=True, update=True):
        c, p = self.cfg, self.params
        v = pixel_norm(Linear(p, "generator.mapper.affine_in")(self.bn("generator.mapper.bn_in", l, training, update)))
        for j in range(4):
            v = leaky(Linear(p, "generator.mapper.fc%d" % j)(v), c.slope)
        v = Linear(p, "generator.mapper.affine_mid")(self.bn("generator.mapper.bn_mid", v, training, update))
        return self.bn("generator.mapper.heads_bn", leaky(Linear(p, "generator.mapper.heads")(v), c.slope),
                       training, update)

    # C -------------------------------------------------------------------------------------
    def critic(self, x):
        """Standardised codes [B, t, L*D] -> D(x) [B]."""
        c, p = self.cfg, self.params
        b, t, f = x.shape
        e = x.reshape(b * t, f)
        for j in range(6):
            e = leaky(Linear(p, "critic.fc%d" % j)(e), c.slope)
        seq = e.reshape(b, t, c.critic_features)
        length, ch, j = t, c.critic_features, 0
        while length > 4:
            seq = leaky(Conv1d(p, "critic.conv%d" % j, ch, 4, 2, 1)(seq), c.slope)
            length = (length + 2 - 4) // 2 + 1
            ch, j = p["critic.conv%d.weight" % j].shape[1], j + 1
        return Conv1d(p, "critic.conv%d" % j, ch, length, 1, 0)(seq).reshape(b)

    def standardize(self, real):
        b, t = real.shape[0], real.shape[1]
        return ((real.reshape(b, t, -1) - self.data_mean) / self.data_scale)

    # losses --------------------------------------------------------------------------------
    def critic_loss(self, real, i, s, eps, update=True):
        """WGAN-GP critic loss; fakes from the generator in training mode (no gradient).

        real [B, t, L, D] raw codes, i [B, lat], s [B, (t-1)*lat], eps [B] interpolation weights;
        update=False keeps the batch-norm running statistics (Java's Mode.TRAIN_FROZEN)."""
        with torch.no_grad():
            fake, _, _ = self.generate(i, s, training=True, update=update)
        real_std = self.standardize(real)
        d_real = self.critic(real_std)
        d_fake = self.critic(fake)
        x_hat = (fake + eps.reshape(-1, 1, 1) * (real_std - fake)).detach().requires_grad_(True)
        g, = torch.autograd.grad(self.critic(x_hat).sum(), x_hat, create_graph=True)
        norms = torch.sqrt((g.reshape(g.shape[0], -1) ** 2).sum(1) + 1e-12)
        gp = ((norms - 1) ** 2).mean()
        loss = d_fake.mean() - d_real.mean() + self.cfg.lambda_gp * gp
        return dict(loss=loss, wasserstein=d_real.mean() - d_fake.mean(), gp=gp, d_real=d_real, d_fake=d_fake,
                    fake=fake)

    def generator_loss(self, i, s, update=True):
        """-mean D(G) + lambda_GAP * mean(max(0, pi/4 - phi)^2), phi per window.

        update=False keeps the batch-norm and GAP running statistics as they are."""
        i = i.detach().requires_grad_(True)
        s = s.detach().requires_grad_(True)
        fake, l0, last = self.generate(i, s, training=True, update=update)
        adversarial = -self.critic(fake).mean()
        diff = last - l0
        if update:
            with torch.no_grad():
                self.gap_mean.mul_(0.9).add_(0.1 * diff.mean(0))
                if diff.shape[0] > 1:
                    self.gap_var.mul_(0.9).add_(0.1 * diff.var(0, unbiased=True))
        normalized = (diff - self.gap_mean) / torch.sqrt(self.gap_var + 1e-5)
        d = torch.sqrt((normalized ** 2).sum(1) + 1e-12)
        gs, gi = torch.autograd.grad(d.sum(), (s, i), create_graph=True)
        norm_s = torch.sqrt((gs ** 2).sum(1) + 1e-12)
        norm_i = torch.sqrt((gi ** 2).sum(1) + 1e-12)
        phi = torch.atan(norm_s / norm_i)
        gap = (torch.relu(math.pi / 4 - phi) ** 2).mean()
        loss = adversarial + self.cfg.lambda_gap * gap
        return dict(loss=loss, adversarial=adversarial, gap=gap, phi=phi, norm_s=norm_s, norm_i=norm_i, fake=fake)


# ---------------------------------------------------------------------------------------------
# fresh weights and full training steps (for timing against the Java model)


def init_arrays(cfg, seed=0):
    """Weights initialised like the Java model (PyTorch's defaults): Linear, GRU and Conv1d uniform in
    +-1/sqrt(fan_in) (GRU: 1/sqrt(hidden)), batch norm scale 1 / shift 0, running mean 0 / var 1, identity
    standardisation. Not the same numbers as a Java model of the same seed (different generators)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in cfg.shapes().items():
        leaf = name.rsplit(".", 1)[1]
        if leaf in ("running_mean",):
            a = torch.zeros(shape, dtype=torch.float64)
        elif leaf == "running_var" or (".bn" in name or "_bn" in name) and leaf == "weight":
            a = torch.ones(shape, dtype=torch.float64)
        elif (".bn" in name or "_bn" in name) and leaf == "bias":
            a = torch.zeros(shape, dtype=torch.float64)
        else:
            if ".gru" in name:
                fan = cfg.hidden
            elif ".conv" in name or leaf == "weight":
                fan = shape[0]
            else:  # a Linear/Conv bias: bound from the matching weight's fan-in
                fan = cfg.shapes()[name[:-len("bias")] + "weight"][0]
            bound = 1.0 / math.sqrt(fan)
            a = (torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1) * bound
        out[name] = a.numpy()
    f = cfg.layers * cfg.width
    out["stats.data_mean"] = np.zeros(f)
    out["stats.data_scale"] = np.ones(f)
    out["stats.gap_mean"] = np.zeros(cfg.hidden)
    out["stats.gap_var"] = np.ones(cfg.hidden)
    return out


class Training:
    """Adam on the critic and the generator with the config's learning rates and betas, EMA left out
    (it is a few element-wise ops per step). One critic step and one generator step as in Java."""

    def __init__(self, model, seed=0):
        c = model.cfg
        self.model = model
        self.opt_c = torch.optim.Adam(list(model.critic_parameters().values()), lr=c.lr_critic,
                                      betas=(c.beta1, c.beta2), eps=1e-8)
        self.opt_g = torch.optim.Adam(list(model.generator_parameters().values()), lr=c.lr_generator,
                                      betas=(c.beta1, c.beta2), eps=1e-8)
        self.rng = torch.Generator().manual_seed(seed)

    def _noise(self, b):
        c, dt = self.model.cfg, self.model.data_mean.dtype
        i = torch.randn(b, c.latent, generator=self.rng, dtype=dt)
        s = torch.randn(b, (c.window_length - 1) * c.latent, generator=self.rng, dtype=dt)
        return i, s

    def critic_step(self, real):
        b = real.shape[0]
        i, s = self._noise(b)
        eps = torch.rand(b, generator=self.rng, dtype=real.dtype)
        out = self.model.critic_loss(real, i, s, eps)
        self.opt_c.zero_grad(set_to_none=True)
        out["loss"].backward()
        self.opt_c.step()
        return out["loss"].item()

    def generator_step(self):
        i, s = self._noise(self.model.cfg.batch)
        out = self.model.generator_loss(i, s)
        self.opt_g.zero_grad(set_to_none=True)
        out["loss"].backward()
        self.opt_g.step()
        return out["loss"].item()


def small_config(**over):
    """StyleVideoGanConfig.small()'s sizes (see the Java class for the authoritative values)."""
    # (until issue #20 this still had small()'s sizes before ebfef7a narrowed it: batch 32, widths 128, lr 0.001,
    # ~4x the FLOPs of the Java step it was compared with)
    kw = dict(batch=16, windowLength=25, layers=18, width=512, latentDim=32, hidden=32, hallucinatorWidth=64,
              mapperWidth=64, criticWidth=64, criticFeatures=32, criticChannels=32, lrGenerator=0.005,
              lrCritic=0.005, beta1=0.0, beta2=0.9)
    kw.update(over)
    return Config(**kw)


def paper_config(**over):
    kw = dict(batch=128, windowLength=25, layers=18, width=512, latentDim=32, hidden=32, hallucinatorWidth=96,
              mapperWidth=512, criticWidth=512, criticFeatures=32, criticChannels=64, lrGenerator=0.005,
              lrCritic=0.005, beta1=0.0, beta2=0.9)
    kw.update(over)
    return Config(**kw)


if __name__ == "__main__":
    # smoke: a few steps of a tiny model, float32, timing per step
    import time
    cfg = small_config(batch=4, windowLength=10, layers=2, width=8, hallucinatorWidth=8, mapperWidth=8,
                       criticWidth=8, criticFeatures=4, criticChannels=4, latentDim=4, hidden=4)
    model = StyleVideoGan(cfg, init_arrays(cfg, 1), dtype=torch.float32)
    tr = Training(model, 2)
    real = torch.randn(cfg.batch, cfg.window_length, cfg.layers, cfg.width)
    t0 = time.time()
    for k in range(3):
        lc = tr.critic_step(real)
        lg = tr.generator_step()
    print("3 critic + 3 generator steps of a tiny model: %.3f s; last losses %.4f, %.4f" % (time.time() - t0, lc, lg))
