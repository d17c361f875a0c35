"""Read NVlabs network pickles (stylegan2-ada-pytorch, stylegan3) without NVlabs' code.

Their training loop pickles G, D, G_ema, augment_pipe as `torch_utils.persistence` objects:
each one reduces to `_reconstruct_persistent_obj(meta)`, where meta holds the class's module
SOURCE, its class name and the instance state (nn.Module.__dict__: _parameters, _buffers,
_modules, plain attributes, _init_kwargs). Normal unpickling executes that source, which needs
their torch_utils/dnnlib on sys.path. Here a custom Unpickler intercepts the reconstruction and
keeps only the state: no NVlabs code runs, none is needed, and nothing from the pickle's embedded
source is executed. Only torch, numpy, collections and plain builtin types are let through (the
tensors inside are still torch's own pickles, so this is no sandbox: load only files you trust).
"""
import collections
import pickle


class Persistent:
    """The state of one pickled NVlabs module: class name, parameters, buffers, children."""

    def __init__(self, meta):
        self.class_name = meta.get("class_name")
        self.version = meta.get("version")
        self.state = dict(meta.get("state") or {})

    def param(self, name):
        return self.state.get("_parameters", {}).get(name)

    def buffer(self, name):
        return self.state.get("_buffers", {}).get(name)

    def child(self, name):
        return self.state.get("_modules", {}).get(name)

    def children(self):
        return dict(self.state.get("_modules", {}))

    def attr(self, name, default=None):
        return self.state.get(name, default)

    @property
    def init_kwargs(self):
        return dict(self.state.get("_init_kwargs") or {})

    def __repr__(self):
        return f"Persistent({self.class_name})"


class EasyDict(dict):
    """Stand-in for dnnlib.util.EasyDict (a dict with attribute access)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)


class Opaque:
    """Any other dnnlib/torch_utils/training object: kept as its raw state, never executed."""

    def __init__(self, *args, **kwargs):
        self.args = args

    def __setstate__(self, state):
        self.state = state


_ALLOWED_ROOTS = ("torch", "numpy", "collections", "copyreg", "_codecs")
# plain containers and numbers only: never eval/exec/getattr/__import__
_SAFE_BUILTINS = {"set", "frozenset", "slice", "range", "complex", "bytearray", "bytes", "dict", "list", "tuple",
                  "int", "float", "bool", "str", "object"}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "torch_utils.persistence" and name == "_reconstruct_persistent_obj":
            return Persistent
        if module.startswith("dnnlib") and name == "EasyDict":
            return EasyDict
        if module.split(".")[0] in ("dnnlib", "torch_utils", "training", "legacy", "metrics"):
            return Opaque
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module.split(".")[0] in _ALLOWED_ROOTS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from an NVlabs pickle "
                                     "(only torch, numpy and builtins objects are expected)")


def load(path):
    """The pickle's top-level dict (G, D, G_ema, augment_pipe, training_set_kwargs ...)."""
    with open(path, "rb") as f:
        data = _Unpickler(f).load()
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an NVlabs snapshot dict with G_ema, found {type(data).__name__}")
    return data


def state_dict(module, prefix=""):
    """Flattened {name: tensor} of a Persistent module tree, like nn.Module.state_dict()."""
    out = collections.OrderedDict()
    for k, v in module.state.get("_parameters", {}).items():
        if v is not None:
            out[prefix + k] = v
    for k, v in module.state.get("_buffers", {}).items():
        if v is not None:
            out[prefix + k] = v
    for k, child in module.children().items():
        if isinstance(child, Persistent):
            out.update(state_dict(child, prefix + k + "."))
    return out
