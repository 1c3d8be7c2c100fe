"""Backpropagation by hand equals GradientTape, on the backprop page's run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_backprop")


def test_every_gradient_has_its_weight_s_shape(run):
    rows = {row["weight"]: row["shape"] for row in run.value("agreement")}
    hidden = run.value("HIDDEN")
    assert rows == {"W1": f"(784, {hidden})", "b1": f"({hidden},)",
                    "W2": f"({hidden}, 10)", "b2": "(10,)"}
    assert [row["shape"] for row in run.value("backward")][-2:] == [f"(784, {hidden})",
                                                                     f"({hidden},)"]


def test_the_hand_gradients_equal_the_tape_s_to_float32_rounding(run):
    epsilon = run.value("float32_epsilon")
    for row in run.value("agreement"):
        assert row["largest |gradient|"] > 1e-3  # a real gradient, not zeros agreeing
        assert row["relative"] < 100 * epsilon, row["weight"]
    assert run.value("loss_gap") < 1e-5


def test_relu_blocked_some_units_and_passed_others(run):
    assert 0.1 < run.value("active_share") < 0.9


def test_a_nudge_measures_the_slope_backpropagation_gave(run):
    assert run.value("nudge_relative") < 1e-3
    assert run.value("weight_count") == 784 * 16 + 16 + 16 * 10 + 10


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_scalar_graph_is_the_chain_rule_and_the_tape_agrees(run):
    g = run.value("scalar_graph")
    assert g["z"] > 0 and g["h"] == g["z"]  # relu passed z through
    assert g["dL_dp"] == pytest.approx(2 * (g["p"] - 1.0))  # y = 1 in the example
    assert g["dL_dh"] == pytest.approx(g["dL_dp"] * -0.4)  # times v
    assert g["dL_dz"] == g["dL_dh"]  # relu's slope is 1 where z > 0
    assert g["dL_dw"] == pytest.approx(g["dL_dz"] * 2.0)  # times x
    assert run.value("scalar_gap") < 1e-5
    assert "scalar_graph" in run.data["figures"]
