#!/usr/bin/python3
"""Tiny ONNX models for latentmotion's render tests (a few hundred KB in all), with numpy truth.

    /usr/bin/python3 src/test/resources/render/make_test_models.py

Writes, next to this script:
  l14/synthesis.onnx      w [N, 14, 512] -> image [N, 3, 8, 8] in [-1, 1]: a synthesis network with
                          another layer count than the shipped test StyleGAN2 (L = 10), so the
                          notebook's code path is tried on a second L; the image depends on every
                          layer (tanh of a linear map of per-layer projections), so style mixing shows
  l14/mapping.onnx        z [N, 32] -> w [N, 512], w_avg [512]; the mapping-network contract
                          (latentmotion.kind = mapping, latentmotion.num_ws = 14, ...w_avg_source)
  l14/reference_z.npy, l14/reference_mapped_w.npy, l14/w_avg.npy   numpy's mapping of 5 codes
  l14/numpy_randn_seed42.npy   np.random.RandomState(42).randn(3, 32): the z the Java side draws
  external/synthesis.onnx + external/synthesis.onnx.data   l14's synthesis network with its
                          weights in the external data file (onnx save_as_external_data, default
                          size_threshold 1024: small shape constants stay in the .onnx file)
  range255/synthesis.onnx the same network scaled to pixel values 0..255, metadata "0,255"
  odd/                    mappings and synthesis networks that must be refused (see names)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
L, D, Z, HID, S = 14, 512, 32, 16, 8


def model(nodes, inits, inputs, outputs, meta):
    graph = helper.make_graph(nodes, "latentmotion-test", inputs, outputs,
                              initializer=[numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="latentmotion-tests")
    m.ir_version = 8
    for k, v in meta.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(m)
    return m


def save(m, *path, external=False, threshold=1024):
    out = os.path.join(HERE, *path)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if external:
        if os.path.exists(out + ".data"):
            os.remove(out + ".data")  # onnx appends to an existing data file
        onnx.save_model(m, out, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=os.path.basename(out) + ".data", size_threshold=threshold)
    else:
        onnx.save_model(m, out)


rng = np.random.RandomState(2026)
# synthesis: per-layer projection P [512, 4] -> [N, 14, 4] -> flatten [N, 56] -> Q [56, 192] -> tanh
P = (rng.randn(D, 4) / np.sqrt(D)).astype(np.float32)
Q = (rng.randn(L * 4, 3 * S * S) / np.sqrt(L * 4) * 2).astype(np.float32)


def synthesis(scale=1.0, offset=0.0, channels_last=False, name_in="w", name_out="image", dyn=False):
    nodes = [helper.make_node("MatMul", [name_in, "P"], ["p"]),
             helper.make_node("Reshape", ["p", "flat"], ["f"]),
             helper.make_node("MatMul", ["f", "Q"], ["q"]),
             helper.make_node("Tanh", ["q"], ["t"]),
             helper.make_node("Mul", ["t", "scale"], ["ts"]),
             helper.make_node("Add", ["ts", "offset"], ["to"]),
             helper.make_node("Reshape", ["to", "img"], ["nchw"])]
    inits = {"P": P, "Q": Q, "flat": np.array([-1, L * 4], np.int64), "img": np.array([-1, 3, S, S], np.int64),
             "scale": np.array(scale, np.float32), "offset": np.array(offset, np.float32)}
    shape = ["N", 3, S, S]
    last = "nchw"
    if channels_last:
        nodes.append(helper.make_node("Transpose", ["nchw"], ["nhwc"], perm=[0, 2, 3, 1]))
        last = "nhwc"
        shape = ["N", S, S, 3]
        if dyn:  # reshape by a shape ONNX Runtime cannot fold (0 × max(w) added): no axis is known before running
            nodes += [helper.make_node("ReduceMax", [name_in], ["mx"], keepdims=0),
                      helper.make_node("Mul", ["mx", "zero"], ["mx0"]),
                      helper.make_node("Cast", ["mx0"], ["mx0i"], to=TensorProto.INT64),
                      helper.make_node("Add", ["nhwc_shape", "mx0i"], ["dyn_shape"]),
                      helper.make_node("Reshape", ["nhwc", "dyn_shape"], ["nhwc_dyn"])]
            inits.update({"zero": np.array(0, np.float32), "nhwc_shape": np.array([-1, S, S, 3], np.int64)})
            last = "nhwc_dyn"
            shape = ["N", "H", "W", "C"]
    nodes.append(helper.make_node("Identity", [last], [name_out]))
    return nodes, inits, shape


def synthesis_model(range_="-1,1", **kw):
    nodes, inits, shape = synthesis(**kw)
    meta = {"latentmotion.range": range_} if range_ else {}
    return model(nodes, inits, [helper.make_tensor_value_info(kw.get("name_in", "w"), TensorProto.FLOAT, ["N", L, D])],
                 [helper.make_tensor_value_info(kw.get("name_out", "image"), TensorProto.FLOAT, shape)], meta)


def synthesis_numpy(w):
    f = (w @ P).reshape(len(w), -1)
    return np.tanh(f @ Q).reshape(len(w), 3, S, S)


# mapping: pixel norm, two linear layers with leaky ReLU (StyleGAN's shape, scaled down)
W1 = (rng.randn(Z, HID) / np.sqrt(Z)).astype(np.float32)
B1 = (rng.randn(HID) * 0.1).astype(np.float32)
W2 = (rng.randn(HID, D) / np.sqrt(HID)).astype(np.float32)
B2 = (rng.randn(D) * 0.1).astype(np.float32)


def leaky(x):
    return np.where(x > 0, x, 0.2 * x)


def mapping_numpy(z):
    z = z.astype(np.float32)
    z = z / np.sqrt(np.mean(z * z, axis=1, keepdims=True) + 1e-8)
    return leaky(leaky(z @ W1 + B1) @ W2 + B2).astype(np.float32)


w_avg = mapping_numpy(np.random.RandomState(1).randn(10000, Z)).mean(axis=0).astype(np.float32)


def mapping_model(num_ws=str(L), kind="mapping", w_avg_value=w_avg, extra_output=False, z_shape=("N", Z)):
    nodes = [helper.make_node("Mul", ["z", "z"], ["zz"]),
             helper.make_node("ReduceMean", ["zz"], ["ms"], axes=[1], keepdims=1),
             helper.make_node("Add", ["ms", "eps"], ["mse"]),
             helper.make_node("Sqrt", ["mse"], ["rms"]),
             helper.make_node("Div", ["z", "rms"], ["zn"]),
             helper.make_node("MatMul", ["zn", "W1"], ["h0"]),
             helper.make_node("Add", ["h0", "B1"], ["h1"]),
             helper.make_node("LeakyRelu", ["h1"], ["h"], alpha=0.2),
             helper.make_node("MatMul", ["h", "W2"], ["o0"]),
             helper.make_node("Add", ["o0", "B2"], ["o1"]),
             helper.make_node("LeakyRelu", ["o1"], ["w"], alpha=0.2),
             helper.make_node("Identity", ["avg"], ["w_avg"])]
    inits = {"W1": W1, "B1": B1, "W2": W2, "B2": B2, "eps": np.array(1e-8, np.float32), "avg": w_avg_value}
    outputs = [helper.make_tensor_value_info("w", TensorProto.FLOAT, ["N", D]),
               helper.make_tensor_value_info("w_avg", TensorProto.FLOAT, [D])]
    if extra_output:
        nodes.append(helper.make_node("Identity", ["h"], ["hidden"]))
        outputs.append(helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["N", HID]))
    meta = {"latentmotion.w_avg_source": "mean of 10000 mapped z, np.random.RandomState(1)"}
    if kind:
        meta["latentmotion.kind"] = kind
    if num_ws:
        meta["latentmotion.num_ws"] = num_ws
    return model(nodes, inits, [helper.make_tensor_value_info("z", TensorProto.FLOAT, list(z_shape))], outputs, meta)


def main():
    save(synthesis_model(), "l14", "synthesis.onnx")
    save(mapping_model(), "l14", "mapping.onnx")
    z = np.random.RandomState(7).randn(5, Z).astype(np.float32)
    np.save(os.path.join(HERE, "l14", "reference_z.npy"), z)
    np.save(os.path.join(HERE, "l14", "reference_mapped_w.npy"), mapping_numpy(z))
    np.save(os.path.join(HERE, "l14", "w_avg.npy"), w_avg)
    np.save(os.path.join(HERE, "l14", "numpy_randn_seed42.npy"), np.random.RandomState(42).randn(3, Z))
    wp = np.random.RandomState(3).randn(2, L, D).astype(np.float32)
    np.save(os.path.join(HERE, "l14", "reference_wplus.npy"), wp)
    np.save(os.path.join(HERE, "l14", "reference_image.npy"), synthesis_numpy(wp).astype(np.float32))
    # onnx's default threshold (1024 bytes): the weights go to the .data file, small shape constants stay
    save(synthesis_model(), "external", "synthesis.onnx", external=True)
    # threshold 0 moves the Reshape shape constants out too: ONNX Runtime 1.29 then refuses the model
    save(synthesis_model(), "odd", "external_threshold_0", "synthesis.onnx", external=True, threshold=0)
    save(synthesis_model(range_="0,255", scale=127.5, offset=127.5), "range255", "synthesis.onnx")
    save(synthesis_model(range_="0,2"), "odd", "range_0_2.onnx")
    save(synthesis_model(channels_last=True, dyn=True), "odd", "channels_last_dynamic.onnx")
    save(synthesis_model(name_in="latents", name_out="rgb"), "odd", "other_names.onnx")
    save(mapping_model(num_ws="10"), "odd", "mapping_num_ws_10.onnx")
    save(mapping_model(kind="synthesis"), "odd", "mapping_kind_synthesis.onnx")
    save(mapping_model(num_ws=None), "odd", "mapping_no_num_ws.onnx")
    # an encoder taking channels-last images [N, 8, 8, 3] (refused: Encoder reads [N, 3, S, S])
    save(model([helper.make_node("ReduceMean", ["image"], ["m"], axes=[1, 2, 3], keepdims=0),
                helper.make_node("Reshape", ["m", "m3"], ["m1"]),
                helper.make_node("Expand", ["m1", "wshape"], ["w"])],
               {"m3": np.array([-1, 1, 1], np.int64), "wshape": np.array([1, L, D], np.int64)},
               [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", S, S, 3])],
               [helper.make_tensor_value_info("w", TensorProto.FLOAT, ["N", L, D])], {"latentmotion.range": "-1,1"}),
         "odd", "encoder_channels_last.onnx")
    nan_avg = w_avg.copy()
    nan_avg[3] = np.nan
    save(mapping_model(w_avg_value=nan_avg), "odd", "mapping_nan_w_avg.onnx")
    save(mapping_model(extra_output=True), "odd", "mapping_three_outputs.onnx")
    for root, _, files in sorted(os.walk(HERE)):
        for f in sorted(files):
            if not f.endswith(".py"):
                p = os.path.join(root, f)
                print(f"{os.path.relpath(p, HERE):40s} {os.path.getsize(p):8d} bytes")


if __name__ == "__main__":
    main()
