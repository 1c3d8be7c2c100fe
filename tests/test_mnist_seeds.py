"""The experiment's headline accuracy over five seeds, on the experiment page's run."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("mnist_seeds")


def test_the_first_seed_is_the_experiment_pages_run(run, run_of):
    assert run.value("SEEDS")[0] == run.value("SEED") == run_of("mnist_experiment").value("SEED")
    experiment = run_of("mnist_experiment")
    assert run.value("test_accuracies")[0] == pytest.approx(experiment.value("test_accuracy"),
                                                            abs=2e-3)


def test_the_spread_is_narrower_than_the_gap_to_the_sources(run):
    accuracies = run.value("test_accuracies")
    assert len(accuracies) == 5
    assert run.value("accuracy_median") == pytest.approx(np.median(accuracies))
    spread = run.value("accuracy_max") - run.value("accuracy_min")
    assert 0 < spread < run.value("accuracy_min") - 0.94
    assert run.value("claims")[0]["verdict"] == "wrong"


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"seed_spread"}
