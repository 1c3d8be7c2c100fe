"""What the myth-busters page claims about training from different seeds."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("myths_seeds")


def test_every_seed_ends_at_a_different_training_loss(run):
    losses = run.value("train_losses")
    assert len(losses) == len(run.value("SEEDS")) == 8
    assert run.value("distinct_train_losses") == 8
    assert run.value("train_loss_max") - run.value("train_loss_min") > 0.005


def test_every_seed_is_good_and_none_reaches_zero_loss(run):
    assert run.value("accuracy_min") > 0.85
    assert run.value("accuracy_max") - run.value("accuracy_min") < 0.05
    assert run.value("train_loss_min") > 0.1



def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"seed_spread"}
