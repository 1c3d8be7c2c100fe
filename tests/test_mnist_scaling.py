"""Scaled against raw pixels over five epochs, and the divided start, on the experiment page."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("mnist_scaling")


def test_the_divided_start_puts_the_first_sums_where_scaled_pixels_put_them(run):
    assert run.value("start_ratio") == pytest.approx(255, rel=1e-3)
    assert run.value("rescaled_start_ratio") == pytest.approx(1, abs=1e-3)


def test_raw_pixels_stay_behind_after_five_epochs(run):
    accuracy = run.value("test_accuracy")
    assert accuracy["raw"] < accuracy["scaled"] - 0.02
    assert accuracy["raw"] < 0.94 < accuracy["scaled"]


def test_the_divided_start_does_not_close_the_gap(run):
    accuracy = run.value("test_accuracy")
    assert accuracy["rescaled"] < accuracy["scaled"] - 0.02


def test_the_scaled_run_is_the_experiment_pages_run(run, run_of):
    assert run.value("test_accuracy.scaled") == pytest.approx(
        run_of("mnist_experiment").value("test_accuracy"), abs=2e-3)


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"scaling_curves"}
