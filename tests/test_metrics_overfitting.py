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


def test_l2_and_a_smaller_network_end_lower_and_climb_back_less(run):
    final, rise = run.value("remedy_final_val_loss"), run.value("remedy_rise")
    base_final = run.value("final_val_loss")
    base_rise = base_final - run.value("best_val_loss")
    assert max(final["l2"], final["smaller"]) < 0.9 * base_final
    assert rise["l2"] < 0.8 * base_rise and rise["smaller"] < 0.001


def test_dropout_helps_only_a_little_here(run):
    base_final = run.value("final_val_loss")
    assert run.value("remedy_final_val_loss.dropout") < 0.98 * base_final
    assert run.value("remedy_rise.dropout") > 0.8 * (base_final - run.value("best_val_loss"))


def test_no_remedy_moves_validation_accuracy_by_two_points(run):
    base = run.value("final_val_accuracy")
    assert all(abs(a - base) < 0.02 for a in run.value("remedy_val_accuracy").values())
    assert len(run.value("remedy_table")) == 4


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"overfitting_curves", "remedies"}
