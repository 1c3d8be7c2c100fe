"""What the "Which TensorFlow?" page says about the sources' calls on Keras 2 and on Keras 3.

The example runs twice: under TensorFlow 2.15 with Keras 2 (``@tf2_15``, its own environment
from ``locks/tf2_15.lock``) and under the locked TensorFlow with Keras 3.
"""

import json

import pytest

from rundocs.axes.tensorflow import versions


@pytest.fixture(scope="module")
def now(run_of):
    return run_of("versions_sources")


@pytest.fixture(scope="module")
def then(run_of):
    return run_of("versions_sources@tf2_15")


def test_the_two_runs_are_the_two_eras(now, then):
    assert then.value("keras_major") == 2 and then.value("versions.tensorflow").startswith("2.15")
    assert now.value("keras_major") == 3
    assert then.data["provenance"]["keras"].startswith("2.")
    assert now.value("tf_keras_is_keras") and then.value("tf_keras_is_keras")


def test_the_run_of_the_sources_era_used_its_lock(then):
    pins, made = versions.pins(versions.lock("tf2_15")), then.data["provenance"]
    assert made["tensorflow"] == pins["tensorflow-cpu"] and made["keras"] == pins["keras"]
    assert made["numpy"] == pins["numpy"]


def test_the_run_raised_no_warnings(now, then):
    assert now.data["warnings"] == [] and then.data["warnings"] == []


def test_both_runs_try_the_same_calls_in_the_same_order(now, then):
    assert now.value("calls") == then.value("calls")
    assert len(now.value("calls")) >= 10


def test_every_call_of_the_sources_ran_cleanly_on_keras_2(then):
    assert then.value("raised") == [] and then.value("warned") == []


def test_keras_3_warns_about_input_shape_and_refuses_a_list_to_predict(now):
    assert now.value("raised") == ["predict([10.0])"]
    assert now.value("warned") and all("input_shape" in call for call in now.value("warned"))
    rows = {o["call"]: o for o in now.value("outcomes")}
    assert "Unrecognized data type" in rows["predict([10.0])"]["message"]
    assert all("Input(shape)" in rows[call]["message"] for call in now.value("warned"))


def test_keras_2_predicts_on_a_list_what_keras_3_predicts_on_an_array(now, then):
    assert abs(then.value("predict_list") - then.value("predict_array")) < 1e-6
    rows = {o["call"]: o["outcome"] for o in now.value("outcomes")}
    assert rows["predict([10.0])"] == "raises" and now.values["predict_list"] is None
    assert abs(now.value("predict_array") - then.value("predict_array")) < 0.05
    for run in (now, then):  # 500 epochs of SGD bring the line close to w = 2, b = -1
        assert abs(run.value("line_w") - 2) < 0.01 and abs(run.value("line_b") + 1) < 0.02


def test_the_weights_the_source_prints_are_a_blank_pixels_and_stay_put(now, then):
    assert now.value("mnist_weights_moved") is False and then.value("mnist_weights_moved") is False
    assert now.value("corner_pixel_max") == 0 and then.value("corner_pixel_max") == 0


def test_the_tape_step_moves_the_weights_on_both(now, then):
    assert now.value("tape_change") > 0.1
    assert abs(now.value("tape_change") - then.value("tape_change")) < 1e-5


def test_the_notebook_says_what_it_ran_on_and_what_to_expect_elsewhere(now):
    from rundocs.project import PUBLISHED
    from rundocs.store import checked

    notebook = json.loads((PUBLISHED / "versions_sources.ipynb").read_text())
    first = "".join(notebook["cells"][0]["source"])
    made = now.data["provenance"]
    assert f"TensorFlow {made['tensorflow']}, Keras {made['keras']}, NumPy {made['numpy']}" in first
    expected = checked.sentence("versions_sources", "")
    assert expected.split(":")[0] in first
