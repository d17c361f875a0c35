"""Run an exported ONNX model on ONNX Runtime through the toolkit's Java CLI, for exporters' self-checks.

    from onnx_check import run_onnx_with_java
    outputs = run_onnx_with_java("out/stylegan2.onnx", {"w": w_plus})   # {"image": ndarray}

Why Java: this machine's Python has no onnxruntime (and none can be installed), and the check
should measure the runtime the toolkit renders with anyway. The CLI is
org.latentmotion.render.RunOnnx; its class path is found, in this order:
  1. $LM_CLASSPATH: a complete class path (the JUnit tests pass their own);
  2. $LM_BUILD/classes, else the newest target*/classes holding RunOnnx.class, plus the
     dependencies from `mvn -q -o dependency:build-classpath`, cached in <build>/lm-deps-classpath.txt.
When neither works (no java, no build), it falls back to onnx.reference.ReferenceEvaluator
(onnx >= 1.13) with a printed note; if that is missing too, it raises OnnxCheckUnavailable.
"""
import glob
import os
import shutil
import subprocess
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAIN_CLASS = "org.latentmotion.render.RunOnnx"


class OnnxCheckUnavailable(RuntimeError):
    """Neither the Java runtime path nor onnx's reference evaluator can run the model."""


def _build_dir():
    env = os.environ.get("LM_BUILD")
    if env:
        d = env if os.path.isabs(env) else os.path.join(REPO, env)
        return d if os.path.isfile(os.path.join(d, "classes", *MAIN_CLASS.split(".")) + ".class") else None
    found = glob.glob(os.path.join(REPO, "target*", "classes", *MAIN_CLASS.split(".")) + ".class")
    if not found:
        return None
    newest = max(found, key=os.path.getmtime)
    return newest[: newest.index(os.sep + "classes" + os.sep)]


def java_classpath():
    """The class path that runs RunOnnx, or None (with the reason printed) when there is none."""
    if os.environ.get("LM_CLASSPATH"):
        return os.environ["LM_CLASSPATH"]
    build = _build_dir()
    if build is None:
        print("onnx_check: no compiled toolkit (run `mvn -o compile`, or set LM_BUILD / LM_CLASSPATH)")
        return None
    cache = os.path.join(build, "lm-deps-classpath.txt")
    if not os.path.isfile(cache):
        mvn = shutil.which("mvn")
        if mvn is None:
            print("onnx_check: mvn not found, cannot list the toolkit's dependencies")
            return None
        r = subprocess.run([mvn, "-q", "-o", "-B", "dependency:build-classpath", "-Dmdep.outputFile=" + cache],
                           cwd=REPO, capture_output=True, text=True)
        if r.returncode != 0 or not os.path.isfile(cache):
            print("onnx_check: `mvn dependency:build-classpath` failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
            return None
    with open(cache) as f:
        deps = f.read().strip()
    return os.path.join(build, "classes") + os.pathsep + deps


def _run_java(classpath, model_path, inputs):
    with tempfile.TemporaryDirectory(prefix="onnx-check-") as tmp:
        cmd = ["java", "-Xss4m", "-cp", classpath, MAIN_CLASS, os.path.abspath(model_path)]
        for name, array in inputs.items():
            f = os.path.join(tmp, "in-" + name + ".npy")
            np.save(f, np.ascontiguousarray(array))
            cmd += ["--input", f"{name}={f}"]
        out = os.path.join(tmp, "out")
        cmd += ["--out", out]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"RunOnnx failed (exit {r.returncode}) on {model_path}:\n{r.stderr.strip()}")
        return {os.path.splitext(n)[0]: np.load(os.path.join(out, n)) for n in sorted(os.listdir(out))}


def _run_reference(model_path, inputs):
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError as e:
        raise OnnxCheckUnavailable(
            "cannot run the ONNX model: no Java toolkit build and no onnx.reference (needs onnx >= 1.13)") from e
    print("onnx_check: note: Java/the toolkit build is not available; checking with onnx.reference."
          "ReferenceEvaluator (a slow Python interpreter of ONNX), not ONNX Runtime")
    sess = ReferenceEvaluator(model_path)
    values = sess.run(None, inputs)
    names = sess.output_names
    return dict(zip(names, values))


def run_onnx_with_java(model_path, inputs):
    """Runs model_path once on ONNX Runtime (CPU, via the Java CLI); returns {output name: array}.

    inputs: {input name: numpy array} with the dtypes the model declares (float32 usually)."""
    classpath = java_classpath() if shutil.which("java") else None
    if classpath is None:
        return _run_reference(model_path, inputs)
    return _run_java(classpath, model_path, inputs)
