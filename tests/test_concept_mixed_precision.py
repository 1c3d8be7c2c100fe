"""The MNIST network under mixed_float16 against float32, on the production page's run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_mixed_precision")


def test_float16_computes_in_float16_keeps_float32_weights_and_scales_the_loss(run):
    mixed = run.value("runs.mixed_float16")
    assert (mixed["compute_dtype"], mixed["weight_dtype"]) == ("float16", "float32")
    assert mixed["optimizer"] == "LossScaleOptimizer" and mixed["loss_scale"] > 1
    assert run.value("runs.float32.optimizer") == "Adam"


def test_float16_training_ends_where_float32_does(run):
    assert abs(run.value("accuracy_gap")) < 0.001
    assert abs(run.value("loss_gap")) < 0.01 * run.value("runs.float32.test_loss")
    assert run.value("runs.float32.test_accuracy") > 0.85


def test_this_networks_gradients_do_not_underflow_in_float16(run):
    assert run.value("underflow") < 0.01
    assert run.value("underflow_scaled") <= run.value("underflow")


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []
