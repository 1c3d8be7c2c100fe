"""What the metrics page claims about data leakage, checked on the run it shows."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("metrics_leakage")


def test_label_column_inflates_validation_accuracy(run):
    assert run.value("leaky_val_accuracy") > 0.97
    assert run.value("leaky_val_accuracy") > run.value("honest_val_accuracy") + 0.03


def test_label_column_model_falls_below_the_honest_model_on_honest_data(run):
    assert run.value("leaky_test_accuracy") < run.value("honest_test_accuracy")
    assert run.value("leaky_test_accuracy") < run.value("leaky_val_accuracy") - 0.05
    assert run.value("leaky_test_accuracy") > 0.5  # it learned the pixels too: not chance
    assert run.value("leak_error_ratio") > 3


def test_copied_test_images_score_far_above_unseen_ones(run):
    assert run.value("leaked_accuracy") > 0.99
    assert 0.9 < run.value("unseen_accuracy") < run.value("leaked_accuracy") - 0.03



def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []
