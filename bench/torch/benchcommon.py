"""Shared helpers of the PyTorch benchmark scripts: thread setup, timing, and the JSON row format of bench/README.md."""
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time

import torch


def setup_threads(threads):
    """Use exactly the JVM's thread count: Debian's torch starts with one intra-op thread."""
    if threads <= 0:
        raise ValueError(f"--threads: expected a positive count, found {threads}")
    torch.set_num_threads(threads)
    return torch.get_num_threads()


def blas_info():
    """Which BLAS torch really calls: the build says 'generic' (libblas.so.3), which Debian's alternatives point
    at OpenBLAS when libopenblas0-pthread is installed; read the mapped library from /proc to be sure."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if "blas" in p or "lapack" in p:
                    libs.add(os.path.realpath(p))
    except OSError:
        pass
    return sorted(libs)


def info(threads):
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch.threads": torch.get_num_threads(),
        "torch.interop_threads": torch.get_num_interop_threads(),
        "requested_threads": threads,
        "blas_libraries": blas_info(),
        "torch.blas_info": (re.findall(r"BLAS_INFO=(\w+)", torch.__config__.show()) or ["unknown"])[0],
    }


def time_it(fn, warmups, repeats):
    """Run fn warmups times untimed, then repeats times timed; returns the list of seconds."""
    for _ in range(warmups):
        fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def row(key, stage, value, unit, higher_is_better, samples=(), command="", note="", error=float("nan"),
        impl="pytorch"):
    return {"key": key, "stage": stage, "impl": impl, "value": value, "error": error, "unit": unit,
            "higherIsBetter": higher_is_better, "samples": list(samples), "command": command, "note": note}


def not_measured(key, stage, unit, reason, command="", impl="pytorch"):
    return row(key, stage, float("nan"), unit, False, command=command, note="not measured: " + reason, impl=impl)


def summary(samples):
    """(mean, half-width of a ~95% interval) of timed samples."""
    m = statistics.fmean(samples)
    if len(samples) < 2:
        return m, float("nan")
    return m, 1.96 * statistics.stdev(samples) / len(samples) ** 0.5


def write(path, doc):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, indent=2, allow_nan=True)
    os.replace(tmp, path)


def command_line():
    return "/usr/bin/python3 " + " ".join(sys.argv)
