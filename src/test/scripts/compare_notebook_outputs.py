#!/usr/bin/env python3
"""Compares the outputs of two sets of executed notebooks, cell by cell.

Used to show a refactor changed no notebook's results: run
`mvn test -Dtest=NotebookExecutionTest -Dlatentmotion.keepExecuted=DIR` before and after, then
`python3 src/test/scripts/compare_notebook_outputs.py BEFORE AFTER`. Text and HTML outputs are
compared after masking what differs between any two runs (wall times, steps per second,
memory figures, temporary paths, object hashes); images are compared by presence and size only,
since PNG encoders may differ byte-wise. Exits 1 and lists the cells that differ.
"""
import json
import re
import sys
from pathlib import Path

VOLATILE = [
    (re.compile(r"\d+(\.\d+)?\s*(ms|s|min|seconds|steps/s|it/s|MB|GB|MiB|GiB|KiB|kB)\b"), "<measure>"),
    (re.compile(r"\b\d\d:\d\d(:\d\d)?\b"), "<clock>"),
    (re.compile(r"/tmp/[^\s\"'<>]+"), "<tmp>"),
    (re.compile(r"@[0-9a-f]{5,}"), "@<hash>"),
    (re.compile(r"data:[a-z]+/[a-z0-9+.-]+;base64,[A-Za-z0-9+/=]+"), "<data-uri>"),
]


def mask(text):
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def outputs(cell):
    found = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            found.append(("stream", mask("".join(out.get("text", "")))))
        elif kind == "error":
            found.append(("error", out.get("ename", "") + ": " + out.get("evalue", "")))
        else:
            data = out.get("data", {})
            for mime in sorted(data):
                value = data[mime]
                value = "".join(value) if isinstance(value, list) else value
                if mime.startswith("image/") or mime.startswith("video/"):
                    found.append((mime, "present"))
                else:
                    found.append((mime, mask(value)))
    return found


def main(before_dir, after_dir):
    before_dir, after_dir = Path(before_dir), Path(after_dir)
    differences = 0
    for before in sorted(before_dir.glob("*.ipynb")):
        after = after_dir / before.name
        if not after.exists():
            print(f"{before.name}: missing in {after_dir}")
            differences += 1
            continue
        a = [c for c in json.loads(before.read_text())["cells"] if c["cell_type"] == "code"]
        b = [c for c in json.loads(after.read_text())["cells"] if c["cell_type"] == "code"]
        if len(a) != len(b):
            print(f"{before.name}: {len(a)} code cells before, {len(b)} after")
            differences += 1
            continue
        for i, (x, y) in enumerate(zip(a, b)):
            ox, oy = outputs(x), outputs(y)
            if ox != oy:
                differences += 1
                print(f"{before.name} code cell {i + 1}:")
                print("  before:", str(ox)[:600])
                print("  after: ", str(oy)[:600])
    print(f"{differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: compare_notebook_outputs.py BEFORE_DIR AFTER_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
