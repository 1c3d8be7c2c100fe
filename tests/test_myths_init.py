"""What the myth-busters page claims about initial weights."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("myths_init")


def test_zero_init_never_trains_the_hidden_layer(run):
    zeros = run.value("results.zeros")
    assert zeros["moved"] == ["output/bias"]
    assert zeros["digits_predicted"] == 1
    assert zeros["most_predicted_digit"] == run.value("most_common_label")
    assert zeros["test_accuracy"] < 0.15


def test_constant_init_keeps_hidden_units_identical(run):
    constant = run.value("results.constant")
    assert constant["distinct_units"] == 1
    assert constant["unit_gap"] == 0.0
    assert "hidden/kernel" in constant["moved"]  # the weights did move, all alike
    assert constant["test_accuracy"] < 0.5


def test_default_init_is_far_better_than_the_others(run):
    results = run.value("results")
    assert results["default"]["distinct_units"] == 32
    assert results["default"]["test_accuracy"] > 0.85
    for key in ("zeros", "constant", "large"):
        assert results[key]["test_accuracy"] < results["default"]["test_accuracy"] - 0.3
    assert results["large"]["distinct_units"] == 32
    assert results["large"]["final_loss"] > 10 * results["default"]["final_loss"]


def test_the_claim_holds(run):
    assert [c["verdict"] for c in run.value("claims")] == ["holds"]


def test_the_run_raised_no_warnings_and_drew_its_figures(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"accuracy_by_init", "hidden_units_by_init"}
