"""tools/onnx_export.py's fp16 storage on a tiny graph: halved only when no weight changes, outputs bit-identical."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

from tools.onnx_export import halve_exact_weights

WIDTH = 512  # enough weights for the file size to be theirs
RNG = np.random.default_rng(7)
INPUT = RNG.standard_normal((3, 2)).astype(np.float32)


def _graph(path: Path, weight: np.ndarray, bias: np.ndarray) -> Path:
    """y = x @ W + b, the shape of every layer of the real model."""
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["xW"]), helper.make_node("Add", ["xW", "b"], ["y"])], "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, WIDTH])],
        [numpy_helper.from_array(weight, "W"), numpy_helper.from_array(bias, "b")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


def _run(path: Path) -> np.ndarray:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": INPUT})[0]


def _fp16_values(*shape: int) -> np.ndarray:
    """float32 numbers that float16 holds exactly, as weights trained and saved in fp16 are."""
    return RNG.standard_normal(shape).astype(np.float16).astype(np.float32)


def test_weights_that_are_float16_values_are_stored_as_float16_and_give_the_same_output(tmp_path: Path) -> None:
    path = _graph(tmp_path / "model.onnx", _fp16_values(2, WIDTH), _fp16_values(WIDTH))
    before, size = _run(path), path.stat().st_size

    assert halve_exact_weights(path)

    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    assert {init.data_type for init in model.graph.initializer} == {TensorProto.FLOAT16}
    assert [node.op_type for node in model.graph.node] == ["Cast", "Cast", "MatMul", "Add"]
    np.testing.assert_array_equal(_run(path), before)  # bit-identical, not merely close
    assert path.stat().st_size < 0.55 * size


def test_one_weight_float16_cannot_hold_keeps_the_graph_as_it_was(tmp_path: Path) -> None:
    bias = _fp16_values(WIDTH)
    bias[-1] = 0.1  # not a float16 value
    path = _graph(tmp_path / "model.onnx", _fp16_values(2, WIDTH), bias)
    original = path.read_bytes()

    assert not halve_exact_weights(path)
    assert path.read_bytes() == original
