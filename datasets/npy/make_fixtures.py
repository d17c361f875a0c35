#!/usr/bin/python3
"""Writes the numpy fixtures the wplus tests read (src/test/resources/npy/).

Run with Debian's python3-numpy:  /usr/bin/python3 datasets/npy/make_fixtures.py

Values follow a formula the Java tests recompute independently:
    value(i) = ((i * 37) % 101 - 50) / 8      (i = flat index in C order)
exact in float16, float32 and float64, and an integer after * 8 for the integer dtypes.
The hostile/ directory holds broken files, each broken in one way named by its file name.
"""
import io
import os
import struct
import zipfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "test", "resources", "npy")
HOSTILE = os.path.join(ROOT, "hostile")


def formula(shape, dtype):
    n = int(np.prod(shape)) if len(shape) else 1
    i = np.arange(n, dtype=np.int64)
    v = ((i * 37) % 101 - 50)
    if np.dtype(dtype).kind == "f":
        v = v / 8.0
    return v.astype(dtype).reshape(shape)


def save(name, array, version=None):
    path = os.path.join(ROOT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)


def raw_npy(header_text, data=b"", version=(1, 0), magic=b"\x93NUMPY"):
    """An NPY file with a hand-written header (padded like numpy pads)."""
    h = header_text.encode("latin1")
    fmt = "<H" if version[0] == 1 else "<I"
    prefix = 6 + 2 + struct.calcsize(fmt)
    hlen = len(h) + 1
    pad = 64 - ((prefix + hlen) % 64)
    return magic + bytes(version) + struct.pack(fmt, hlen + pad) + h + b" " * pad + b"\n" + data


def hostile(name, content):
    with open(os.path.join(HOSTILE, name), "wb") as f:
        f.write(content)


def main():
    os.makedirs(HOSTILE, exist_ok=True)
    # --- well-formed files -------------------------------------------------------------
    save("f4_c.npy", formula((4, 3, 8), "<f4"))                                 # a [T, L, D] trajectory
    save("f2.npy", formula((5, 3, 4), "<f2"))
    save("f8.npy", formula((5, 3, 4), "<f8"))
    save("f4_fortran.npy", np.asfortranarray(formula((4, 3, 8), "<f4")))
    save("f4_big.npy", formula((4, 3, 8), ">f4"))
    save("f8_big_fortran.npy", np.asfortranarray(formula((5, 3, 4), ">f8")))
    save("f2_big.npy", formula((5, 3, 4), ">f2"))
    save("v2.npy", formula((4, 3, 8), "<f4"), version=(2, 0))
    save("v3.npy", formula((4, 3, 8), "<f4"), version=(3, 0))
    save("w_codes.npy", formula((6, 8), "<f4"))                                 # [T, D] W codes
    save("batch.npy", formula((2, 5, 3, 8), "<f4"))                             # [N, T, L, D]
    save("i4.npy", formula((3, 7), "<i4"))
    save("i8.npy", formula((3, 7), "<i8"))
    save("u1.npy", (formula((3, 7), "<i8") + 50).astype("|u1"))
    save("b1.npy", formula((3, 7), "<i8") > 0)
    save("u8_high.npy", np.array([0, 5, 2**63 - 1, 2**63, 2**64 - 1], dtype="<u8"))  # past int64's range
    save("scalar.npy", np.array(2.5, dtype="<f4"))
    save("vector.npy", formula((9,), "<f4"))
    save("empty.npy", np.zeros((0, 8), dtype="<f4"))
    rng = np.random.default_rng(2026)
    save("random_f4.npy", rng.standard_normal((16, 18, 32)).astype("<f4"))   # arbitrary bits
    save("random_f8.npy", rng.standard_normal((7, 11)))
    save("random_i8.npy", rng.integers(-2**40, 2**40, size=(5, 6)))
    arrays = dict(f4=formula((4, 3, 8), "<f4"), f8=formula((5, 3, 4), "<f8"),
                  i4=formula((3, 7), "<i4"), i8=formula((3, 7), "<i8"), f2=formula((5, 3, 4), "<f2"))
    np.savez(os.path.join(ROOT, "stored.npz"), **arrays)
    np.savez_compressed(os.path.join(ROOT, "deflated.npz"), **arrays)

    # --- hostile files: each broken in exactly one way ---------------------------------------
    good = io.BytesIO()
    np.lib.format.write_array(good, formula((4, 3, 8), "<f4"))
    good = good.getvalue()
    hostile("truncated_data.npy", good[:-10])
    hostile("truncated_header.npy", good[:40])
    hostile("empty_file.npy", b"")
    hostile("bad_magic.npy", b"\x93NUMPX" + good[6:])
    hostile("not_npy_text.npy", b"this is a text file, not an array\n" * 4)
    hostile("bad_version.npy", good[:6] + bytes([4, 0]) + good[8:])
    data96 = formula((4, 3, 8), "<f4").tobytes()
    hostile("shape_too_large.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8, 3, 8), }", data96))
    hostile("shape_too_small.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 8), }", data96))
    hostile("dtype_complex.npy", raw_npy("{'descr': '<c8', 'fortran_order': False, 'shape': (4, 3, 4), }", data96))
    hostile("dtype_unicode.npy", raw_npy("{'descr': '<U4', 'fortran_order': False, 'shape': (4, 3, 2), }", data96))
    hostile("dtype_structured.npy", raw_npy(
        "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (4, 3, 4), }", data96))
    obj = io.BytesIO()
    np.lib.format.write_array(obj, np.array([{"a": 1}, "text", None], dtype=object), allow_pickle=True)
    hostile("object_array.npy", obj.getvalue())
    nan = formula((4, 3, 8), "<f4")
    nan[2, 1, 5] = np.nan
    b = io.BytesIO(); np.lib.format.write_array(b, nan); hostile("nan.npy", b.getvalue())
    inf = formula((5, 3, 4), "<f8")
    inf[4, 2, 3] = -np.inf
    b = io.BytesIO(); np.lib.format.write_array(b, inf); hostile("inf.npy", b.getvalue())
    hostile("header_not_dict.npy", raw_npy("[1, 2, 3]", data96))
    hostile("header_garbage.npy", raw_npy("{'descr': '<f4', 'fortran_order': Fals", data96))
    hostile("header_missing_shape.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, }", data96))
    hostile("header_extra_key.npy", raw_npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3, 8), 'evil': 1, }", data96))
    hostile("negative_dim.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-4, 3, 8), }", data96))
    hostile("shape_overflow.npy", raw_npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }", data96))
    hostile("shape_not_ints.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 'x', 8), }", data96))
    hostile("fortran_not_bool.npy", raw_npy("{'descr': '<f4', 'fortran_order': 'yes', 'shape': (4, 3, 8), }", data96))
    huge = bytearray(raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3, 8), }", data96, version=(2, 0)))
    huge[8:12] = struct.pack("<I", 0x7FFFFFF0)
    hostile("header_length_huge.npy", bytes(huge))
    # broken archives
    with open(os.path.join(ROOT, "stored.npz"), "rb") as f:
        npz = f.read()
    hostile("truncated.npz", npz[: len(npz) // 2])
    hostile("not_a_zip.npz", b"PK\x03\x04 but nothing else that makes a zip")
    with zipfile.ZipFile(os.path.join(HOSTILE, "member_not_npy.npz"), "w") as z:
        z.writestr("a.npy", good)
        z.writestr("b.npy", b"hello, I am not an array")
    with zipfile.ZipFile(os.path.join(HOSTILE, "member_nan.npz"), "w") as z:
        z.writestr("a.npy", good)
        b = io.BytesIO(); np.lib.format.write_array(b, nan); z.writestr("b.npy", b.getvalue())
    # deflated archive whose compressed bytes are damaged in the middle
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.npy", good)
    raw = bytearray(buf.getvalue())
    start = 30 + len("a.npy")
    for k in range(start + 20, start + 60):
        raw[k] ^= 0x5A
    hostile("corrupt_deflate.npz", bytes(raw))
    # stored archive whose data was changed after the CRC was written
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("a.npy", good)
    raw = bytearray(buf.getvalue())
    raw[start + 200] ^= 0x01
    hostile("crc_mismatch.npz", bytes(raw))


if __name__ == "__main__":
    main()
