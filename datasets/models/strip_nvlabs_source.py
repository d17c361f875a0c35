"""Remove NVlabs' embedded module source from NVlabs network pickles, leaving all else as written.

NVlabs' `torch_utils.persistence` (stylegan2-ada-pytorch, stylegan3) pickles every network as
`_reconstruct_persistent_obj(meta)`, where `meta` is a dict holding, under the key 'module_src',
the full Python source of the module that defines the class (NVIDIA Source Code License). We
commit only data their code produced, never their code, and our exporters never read that source
(their unpicklers keep only `meta['state']`). This script replaces each such source string by
NOTICE and changes nothing else:

- It walks the opcode stream (`pickletools.genops`) and simulates the unpickler's stack and memo
  symbolically (no object is built, nothing from the pickle runs). A string is module source when
  it is the value under the key 'module_src' of a dict that is the sole argument of a REDUCE whose
  callable is the global `torch_utils.persistence._reconstruct_persistent_obj`. NVlabs' pickler
  writes each distinct source once (BINUNICODE + MEMOIZE) and later objects refer to it by memo
  (BINGET), so only the opcodes that first write the source are rewritten; memo indices stay valid.
- Output: the input bytes, with each such string opcode's length field and payload replaced (same
  opcode, same memo writes), and each protocol-4 FRAME opcode's 8-byte length decreased by what
  was removed inside that frame. Every other byte is copied unchanged.
- Check (always run before a file is replaced, or alone with --check ORIGINAL STRIPPED): both
  streams have the same opcode sequence and the same arguments apart from the replaced strings and
  the FRAME lengths, every FRAME of the new stream ends on an opcode boundary, and both load (C
  unpickler, with every global stubbed: again nothing runs) to equal object trees once 'module_src'
  is masked, with every 'module_src' of the new one equal to NOTICE. It also lists any other
  string longer than 1000 characters, and any 'def '/'import ' text in strings or bytes.

Usage (from the repository root; rewrites in place, idempotent):
    python3 datasets/models/strip_nvlabs_source.py datasets/models/stylegan2/fixtures/nvlabs-ada-32/network-snapshot-000000.pkl ...
    python3 datasets/models/strip_nvlabs_source.py --check original.pkl stripped.pkl
Needs only the Python standard library.
"""
import argparse
import io
import os
import pickle
import pickletools
import re
import struct
import sys

NOTICE = ("# source removed: NVlabs module source is not redistributed here; "
          "latentmotion's exporters never read it\n")
PERSISTENT = ("torch_utils.persistence", "_reconstruct_persistent_obj")
STRING_OPS = {"BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8", "UNICODE"}
# ops that mutate the object below the mark / the top of stack and leave it there
IN_PLACE = {"APPEND", "APPENDS", "SETITEM", "SETITEMS", "BUILD", "ADDITEMS"}


class _Node:
    """A symbolic stack item: kind, value (strings, globals), origin opcode index, children."""

    def __init__(self, kind, value=None, origin=None, items=None):
        self.kind, self.value, self.origin, self.items = kind, value, origin, items


_MARK = object()


def find_sources(data):
    """(ops, {opcode index of a module-source string op}) for one pickle stream."""
    ops = list(pickletools.genops(data))
    stack, memo, sources = [], {}, set()

    def pop_to_mark():
        items = []
        while True:
            x = stack.pop()
            if x is _MARK:
                return items[::-1]
            items.append(x)

    for i, (op, arg, pos) in enumerate(ops):
        name = op.name
        if name in ("PROTO", "FRAME", "STOP"):
            continue
        if name == "MARK":
            stack.append(_MARK)
        elif name in STRING_OPS:
            stack.append(_Node("str", arg, i))
        elif name == "MEMOIZE":
            memo[len(memo)] = stack[-1]
        elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
            memo[int(arg)] = stack[-1]
        elif name in ("GET", "BINGET", "LONG_BINGET"):
            stack.append(memo[int(arg)])
        elif name == "STACK_GLOBAL":
            n, m = stack.pop(), stack.pop()
            stack.append(_Node("global", (m.value, n.value)))
        elif name == "GLOBAL":
            stack.append(_Node("global", tuple(arg.split(" ", 1))))
        elif name == "EMPTY_DICT":
            stack.append(_Node("dict", items=[]))
        elif name == "DICT":
            items = pop_to_mark()
            stack.append(_Node("dict", items=list(zip(items[0::2], items[1::2]))))
        elif name == "SETITEM":
            v, k = stack.pop(), stack.pop()
            if stack[-1] is not _MARK and stack[-1].kind == "dict":
                stack[-1].items.append((k, v))
        elif name == "SETITEMS":
            items = pop_to_mark()
            if stack[-1].kind == "dict":
                stack[-1].items.extend(zip(items[0::2], items[1::2]))
        elif name in ("TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "EMPTY_TUPLE"):
            n = {"TUPLE1": 1, "TUPLE2": 2, "TUPLE3": 3, "EMPTY_TUPLE": 0}.get(name)
            items = pop_to_mark() if n is None else [stack.pop() for _ in range(n)][::-1]
            stack.append(_Node("tuple", items=items))
        elif name == "REDUCE":
            args, func = stack.pop(), stack.pop()
            if func.kind == "global" and func.value == PERSISTENT and args.kind == "tuple" \
                    and len(args.items) == 1 and args.items[0].kind == "dict":
                for k, v in args.items[0].items:
                    if k.kind == "str" and k.value == "module_src":
                        if v.kind != "str":
                            raise ValueError(f"module_src at op {i} is not a string ({v.kind})")
                        sources.add(v.origin)
            stack.append(_Node("obj"))
        else:  # generic stack effect from pickletools' opcode table
            before = op.stack_before
            if pickletools.markobject in before:
                pop_to_mark()
                n_below = before.index(pickletools.markobject)
            else:
                n_below = len(before)
            below = [stack.pop() for _ in range(n_below)][::-1]
            if name in IN_PLACE:
                stack.append(below[0])
            else:
                stack.extend(_Node("obj") for _ in op.stack_after)
    if len(stack) != 1:  # STOP returns the one object left
        raise ValueError(f"expected one object on the stack at STOP, found {len(stack)}")
    return ops, sources


def _encode_string(name, s):
    b = s.encode("utf-8", "surrogatepass")
    if name == "SHORT_BINUNICODE":
        if len(b) > 255:
            raise ValueError("notice too long for SHORT_BINUNICODE")
        return bytes([len(b)]) + b
    if name == "BINUNICODE":
        return struct.pack("<I", len(b)) + b
    if name == "BINUNICODE8":
        return struct.pack("<Q", len(b)) + b
    raise ValueError(f"cannot re-encode {name}")


def strip(data):
    """(new bytes, number of source strings replaced, characters removed)."""
    ops, sources = find_sources(data)
    ends = [p for _, _, p in ops[1:]] + [len(data)]
    frames = [(p, a) for op, a, p in ops if op.name == "FRAME"]
    replace = {}  # byte position of the op -> (old end, new bytes)
    removed = 0
    for i in sorted(sources):
        op, arg, pos = ops[i]
        if arg == NOTICE:
            continue
        new = op.code.encode("latin-1") + _encode_string(op.name, NOTICE)
        replace[pos] = (ends[i], new)
        removed += len(arg)
    frame_delta = {}
    for pos, (end, new) in replace.items():
        for fpos, flen in frames:
            if fpos + 9 <= pos and end <= fpos + 9 + flen:
                frame_delta[fpos] = frame_delta.get(fpos, 0) + (end - pos) - len(new)
                break
    out, cursor = io.BytesIO(), 0
    for pos in sorted(set(replace) | set(frame_delta)):
        out.write(data[cursor:pos])
        if pos in frame_delta:
            flen = dict(frames)[pos]
            out.write(b"\x95" + struct.pack("<Q", flen - frame_delta[pos]))
            cursor = pos + 9
        else:
            end, new = replace[pos]
            out.write(new)
            cursor = end
    out.write(data[cursor:])
    return out.getvalue(), len(replace), removed


# ------------------------------------------------------------------------------- verification

class _Stub(dict):
    """Any global: records its name, constructor args, state, items; compares by value."""
    _where = None

    def __new__(cls, *args, **kwargs):
        self = dict.__new__(cls)
        self._args, self._state, self._list = args, None, []
        return self

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self._state = state

    def append(self, x):
        self._list.append(x)

    def extend(self, xs):
        self._list.extend(xs)

    def __eq__(self, other):
        return type(other) is type(self) and dict.__eq__(self, other) and \
            (self._args, self._state, self._list) == (other._args, other._state, other._list)

    __hash__ = object.__hash__


class _Persistent(dict):
    pass


class _StubUnpickler(pickle.Unpickler):
    classes = {}  # shared, so that two loads compare equal

    def __init__(self, f, mask):
        super().__init__(f)
        self.mask, self.metas = mask, []

    def find_class(self, module, name):
        if (module, name) == PERSISTENT:
            return self.persistent
        key = (module, name)
        if key not in self.classes:
            self.classes[key] = type(f"{module}.{name}", (_Stub,), {"_where": key})
        return self.classes[key]

    def persistent(self, meta):
        self.metas.append(meta.get("module_src"))
        p = _Persistent(meta)
        if self.mask and "module_src" in p:
            p["module_src"] = NOTICE
        return p


def _load(data, mask):
    u = _StubUnpickler(io.BytesIO(data), mask)
    return u.load(), u.metas


def check(old, new, out=sys.stdout):
    """Raise unless `new` is `old` with only module-source strings replaced; print a summary."""
    old_ops, old_src = find_sources(old)
    new_ops, new_src = find_sources(new)
    if [o.name for o, _, _ in old_ops] != [o.name for o, _, _ in new_ops]:
        raise AssertionError("opcode sequences differ")
    changed = 0
    for i, ((o, a, _), (_, b, _)) in enumerate(zip(old_ops, new_ops)):
        if o.name == "FRAME":
            continue
        if i in old_src and i in new_src:
            if b != NOTICE:
                raise AssertionError(f"op {i}: module source not replaced")
            changed += a != b
        elif a != b:
            raise AssertionError(f"op {i} {o.name}: argument differs ({a!r:.80} vs {b!r:.80})")
    for op, flen, pos in new_ops:
        if op.name == "FRAME":
            end = pos + 9 + flen
            if end != len(new) and not any(p == end for _, _, p in new_ops):
                raise AssertionError(f"FRAME at {pos} ends inside an opcode")
    (old_obj, old_metas), (new_obj, new_metas) = _load(old, True), _load(new, False)
    if old_obj != new_obj:
        raise AssertionError("unpickled trees differ apart from module_src")
    if any(s != NOTICE for s in new_metas):
        raise AssertionError("a module_src in the stripped pickle is not the notice")
    frames = sum(1 for o, _, _ in new_ops if o.name == "FRAME")
    print(f"identical apart from {changed} source strings ({len(old_ops)} opcodes, {frames} frames; "
          f"{len(new_metas)} persistent objects, {len(set(old_metas))} distinct module sources)", file=out)
    report_other_code(new, new_ops, new_src, out)
    return changed


def report_other_code(data, ops, sources, out=sys.stdout):
    """Print any other long string, and any string/bytes argument that looks like Python source."""
    code = re.compile(rb"(^|\n)\s*(def |class |import |from \S+ import )")
    for i, (op, arg, pos) in enumerate(ops):
        if i in sources:
            continue
        if isinstance(arg, str) and len(arg) > 1000:
            print(f"  note: long string at byte {pos} ({op.name}, {len(arg)} chars): {arg[:60]!r}", file=out)
        if isinstance(arg, (str, bytes)) and len(arg) > 20:
            b = arg.encode("utf-8", "surrogatepass") if isinstance(arg, str) else arg
            m = code.search(b)
            if m:
                print(f"  note: source-like text at byte {pos} ({op.name}): {b[m.start():m.start() + 60]!r}",
                      file=out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("pickles", nargs="+", help="NVlabs pickles to rewrite in place")
    p.add_argument("--check", action="store_true", help="only compare: PICKLES are ORIGINAL STRIPPED")
    a = p.parse_args(argv)
    if a.check:
        if len(a.pickles) != 2:
            p.error("--check takes ORIGINAL STRIPPED")
        with open(a.pickles[0], "rb") as f, open(a.pickles[1], "rb") as g:
            check(f.read(), g.read())
        return 0
    for path in a.pickles:
        with open(path, "rb") as f:
            old = f.read()
        new, n, removed = strip(old)
        print(f"{path}: {len(old)} -> {len(new)} bytes, {n} source strings replaced ({removed} characters)")
        check(old, new)
        if new != old:
            tmp = path + ".tmp"
            with open(tmp, "wb") as f:
                f.write(new)
            os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
