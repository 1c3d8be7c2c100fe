"""What the pitfalls page claims about a too-large learning rate."""

import math

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("pitfalls_learning_rate")


def test_learning_rate_10_overflows_to_inf_then_nan(run):
    first_inf, first_nan = run.value("first_inf"), run.value("first_nan")
    assert 0 < first_inf < first_nan < 50
    assert run.value("big_w") == "nan" or math.isnan(run.value("big_w"))
    assert "loss nan, w = nan, b = nan" in run.output("wrong")


def test_the_growth_factor_matches_the_curvature(run):
    assert run.value("growth") > 1000
    assert run.value("growth") == pytest.approx(run.value("predicted_growth"), rel=0.01)
    assert 0.01 < run.value("stable_below") < 10.0


def test_learning_rate_001_converges_to_the_line(run):
    assert run.value("small_losses")[-1] < 1e-3
    assert run.value("small_w") == pytest.approx(2.0, abs=0.01)
    assert run.value("small_b") == pytest.approx(-1.0, abs=0.02)


def test_tf_keras_is_keras_3_here(run):
    assert "tf.keras.optimizers.SGD is keras.optimizers.SGD: True" in run.output("wrong")



def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"divergence"}
