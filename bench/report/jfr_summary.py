"""Summarises `jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample` output: for every sample, the top
frame (self time) and the first frame of our own code (org.latentmotion) that called into it, and a coarse
kind: GEMM, other ND4J native op, ND4J allocation/array plumbing, autodiff tape, JVM/GC/other.

Usage: /usr/bin/python3 bench/report/jfr_summary.py SAMPLES.txt
"""
import collections
import re
import sys

FRAME = re.compile(r"^\s+([\w$.<>/]+)\(")


def kind(stack):
    top = stack[0] if stack else ""
    ours = next((f for f in stack if f.startswith("org.latentmotion")), "")
    if any("BaseNDArray.broadcast" in f for f in stack[:20]):
        return "INDArray.broadcast (a Java loop: one assign op per row/column)"
    if any(ours.startswith("org.latentmotion.nn.Ops." + f) for f in ("matmul", "gemm", "affine", "lambda$matmul")):
        return "GEMM (Ops.matmul / gemm / affine)"
    if any(k in top for k in ("allocateDataBuffer", "Pointer.", "LongPointer", "deallocat", "Deallocat")):
        return "allocation / free of op results"
    if ".bindings.Nd4jCpu.exec" in top:
        return "elementwise / reduction ND4J ops (native)"
    if top.startswith("org.nd4j") or top.startswith("org.bytedeco"):
        return "ND4J Java-side plumbing (shape info, op objects)"
    if top.startswith("org.latentmotion"):
        return "latentmotion Java code"
    return "JVM / other"


def main(path):
    samples = []
    stack = None
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("jdk.ExecutionSample") or line.startswith("jdk.NativeMethodSample"):
            if stack:
                samples.append(stack)
            stack = []
        elif stack is not None:
            m = FRAME.match(line)
            if m and "stackTrace" not in line:
                stack.append(m.group(1))
    if stack:
        samples.append(stack)
    samples = [s for s in samples if s and any(f.startswith("org.latentmotion") for f in s)]
    n = len(samples)
    if n == 0:
        print("no samples in training-step code")
        return
    kinds = collections.Counter(kind(s) for s in samples)
    tops = collections.Counter(s[0] for s in samples)
    ours = collections.Counter(next(f for f in s if f.startswith("org.latentmotion")) for s in samples)
    print(f"{n} samples inside org.latentmotion code (Java + native-method samples)")
    print("\nby kind:")
    for k, c in kinds.most_common():
        print(f"  {100 * c / n:5.1f} %  {k}")
    print("\ntop frames (self):")
    for k, c in tops.most_common(15):
        print(f"  {100 * c / n:5.1f} %  {k}")
    print("\nfirst latentmotion frame (who called):")
    for k, c in ours.most_common(15):
        print(f"  {100 * c / n:5.1f} %  {k}")


if __name__ == "__main__":
    main(sys.argv[1])
