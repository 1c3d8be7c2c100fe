"""What the myth-busters page claims about many weights computing one function."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("myths_symmetry")


@pytest.mark.parametrize("variant", ["shuffled", "rescaled"])
def test_different_weights_same_predictions(run, variant):
    result = run.value(f"comparison.{variant}")
    assert result["weights_changed"] > 0.9
    assert result["max_probability_difference"] < 1e-5
    assert result["same_digits"] == 1.0
    assert result["loss"] == pytest.approx(run.value("original_loss"), abs=5e-7)


def test_the_number_of_orderings(run):
    assert run.value("orderings") == pytest.approx(2.631e35, rel=1e-3)



def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"same_function"}
