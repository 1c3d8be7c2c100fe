"""One classifier against itself, trained on: the metrics page's 'loss close to zero'."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("metrics_overtraining")


def test_its_first_ten_epochs_are_the_metrics_pages_classifier(run, run_of):
    assert run.value("test_accuracy_at_10") == pytest.approx(
        run_of("metrics_classifier").value("test_accuracy"), abs=2e-3)


def test_training_loss_near_zero_came_with_a_higher_test_loss(run):
    assert run.value("train_loss_at_end") < 0.05 * run.value("train_loss_at_10")
    assert run.value("test_loss_at_end") > 1.1 * run.value("test_loss_at_10")
    assert abs(run.value("test_accuracy_at_end") - run.value("test_accuracy_at_10")) < 0.02
    assert run.value("val_accuracy_band") < 0.02


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"overtraining"}
