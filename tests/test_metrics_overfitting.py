"""What the metrics page claims about overfitting, checked on the run it shows."""

import itertools

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("metrics_overfitting")


def test_training_loss_goes_to_near_zero_and_training_accuracy_to_one(run):
    losses = run.value("history.loss")
    assert len(losses) == 20
    assert all(b < a for a, b in itertools.pairwise(losses))  # falls every epoch
    assert run.value("final_train_loss") < 0.005
    assert run.value("history.accuracy[-1]") == 1.0


def test_validation_loss_turns_round_and_rises(run):
    best = run.value("best_epoch")
    assert 3 <= best <= 12
    assert run.value("final_val_loss") > run.value("best_val_loss") * 1.15
    val = run.value("history.val_loss")
    assert all(b > a for a, b in zip(val[best:], val[best + 1:]))  # rising after epoch best + 1


def test_validation_accuracy_stays_flat_while_validation_loss_rises(run):
    assert abs(run.value("final_val_accuracy") - run.value("val_accuracy_at_best")) < 0.01
    assert run.value("final_val_accuracy") < run.value("history.accuracy[-1]") - 0.05
    assert run.value("n_disagree") >= run.value("n_epoch_steps") / 3


def test_wrong_answers_stay_as_many_but_get_more_confident(run):
    assert abs(run.value("wrong_counts")[-1] - run.value("wrong_at_best")) <= 10
    assert run.value("wrong_losses")[-1] > run.value("wrong_loss_at_best") * 1.2



def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figure(run):
    assert set(run.data["figures"]) == {"overfitting_curves"}
