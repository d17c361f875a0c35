"""Stage train-memory: the peak resident memory (VmHWM) of a paper() training run, Java vs PyTorch, each side in a
fresh process, and the resident memory before training (runtime loaded, model and data built). bench/run calls it;
bench/README.md has the row contract.

Java: TrainingMemory (bench/java) in a JVM started with the memory flags of the kernelspec bench/run writes, i.e. what a
notebook user's kernel gets (kernels-setup/install.sh: -Xmx a quarter of the machine's RAM, 1-2 GB; ND4J's native
arrays limited to half of it). PyTorch: bench/torch/bench_train_memory.py (stylevideogan_idiomatic.py, float32, Adam).
Both run the same iterations: 5 critic steps (a fresh copy of the real batch each) + 1 generator step, batch 128, t = 25.

Usage: /usr/bin/python3 bench/report/stage_train_memory.py [--quick] --threads N --kernelspec KERNEL.json --out FILE.json
"""
import argparse
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch"))
import benchcommon as bc  # noqa: E402

CONFIG = "paper"
# the kernelspec's JVM options that decide how much memory the process may take and how its heap behaves
MEMORY_FLAGS = ("-Xmx", "-Xms", "-Xss", "-XX:", "-Dorg.bytedeco.javacpp.maxbytes=",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=")


def kernel_memory_flags(path):
    """The memory-related JVM options and the environment of the kernelspec (what a notebook user's JVM gets)."""
    with open(path) as f:
        spec = json.load(f)
    flags = [a for a in spec["argv"] if a.startswith(MEMORY_FLAGS)]
    if not any(a.startswith("-Xmx") for a in flags):
        raise SystemExit(f"{path}: no -Xmx in the kernelspec's argv")
    return flags, spec.get("env", {})


def run(cmd, env):
    print("$", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    print(p.stdout[-3000:], p.stderr[-1500:], flush=True)
    if p.returncode != 0:
        last = ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1][:200]
        return f"exit code {p.returncode}: {last}"
    return None


def read_side(path, impl, failure, command):
    """The side's rows and info, or 'not measured' rows saying why."""
    if failure is None and os.path.exists(path):
        with open(path) as f:
            doc = json.load(f)
        return doc["rows"], doc.get("info", {})
    reason = failure or f"{path} was not written"
    rows = [bc.not_measured(f"memory/{CONFIG}/{k}", f"{k} ({CONFIG}() training)", "GiB", reason, command, impl=impl)
            for k in ("peak", "baseline", "growth")]
    return rows, {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--kernelspec", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    iterations = 1 if a.quick else 4  # the first iteration holds the peak (the workspace's learning step); 4 shows it stays
    flags, spec_env = kernel_memory_flags(a.kernelspec)
    env = dict(os.environ, **spec_env, OMP_NUM_THREADS=str(a.threads))
    base = os.path.splitext(a.out)[0]

    java_out = base + ".java.json"
    java_cmd = ["java", *flags, "-Dlatentmotion.root=" + os.getcwd(), "-cp", os.environ["CLASSPATH"],
                "org.latentmotion.bench.TrainingMemory", "--config", CONFIG, "--iterations", str(iterations),
                "--out", java_out]
    java_rows, java_info = read_side(java_out, "java", run(java_cmd, env), " ".join(java_cmd))
    heap = next(f for f in flags if f.startswith("-Xmx"))
    for r in java_rows:
        r["command"] = " ".join(java_cmd)
        if r["key"].endswith("/peak") and not r["note"].startswith("not measured"):
            r["note"] = (f"the kernelspec's memory flags ({' '.join(flags)}): {heap} is what a notebook user's kernel "
                         "gets (kernels-setup/install.sh: a quarter of RAM, 1-2 GB); " + r["note"])

    torch_out = base + ".torch.json"
    torch_cmd = ["/usr/bin/python3", "bench/torch/bench_train_memory.py", "--threads", str(a.threads), "--config",
                 CONFIG, "--iterations", str(iterations), "--out", torch_out]
    torch_rows, torch_info = read_side(torch_out, "pytorch", run(torch_cmd, env), " ".join(torch_cmd))

    info = {"iterations": iterations, "Java memory flags (from the kernelspec " + os.path.relpath(a.kernelspec) + ")":
            " ".join(flags)}
    for k in ("java", "nd4j", "jvm flags", f"before training ({CONFIG})", f"after training ({CONFIG})",
              f"iteration seconds ({CONFIG})"):
        if k in java_info:
            info["Java side: " + k] = java_info[k]
    for k in ("torch", "torch.threads", "blas_libraries", f"iteration seconds ({CONFIG})"):
        if k in torch_info:
            info["PyTorch side: " + k] = torch_info[k]
    bc.write(a.out, {"impl": "mixed", "info": info, "rows": java_rows + torch_rows})
    failed = [r["impl"] for r in java_rows + torch_rows if r["key"].endswith("/peak") and math.isnan(r["value"])]
    if failed:
        raise SystemExit(f"not measured: {', '.join(failed)} (see the rows' notes)")


if __name__ == "__main__":
    main()
