"""What the optimizers page claims about SGD and Adam on y = 2x - 1, checked on its run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_linear")


def test_the_source_code_warns_and_predict_on_a_list_fails(run):
    warnings = run.value("source_warnings")
    assert len(warnings) == 1 and "input_shape" in warnings[0]
    errors = run.value("source_errors")
    assert len(errors) == 2 and all(e.startswith("ValueError") for e in errors)
    assert run.value("source_code_runs_clean") is False


def test_one_epoch_of_repeated_data_makes_the_same_updates_as_many_epochs(run):
    gaps = run.value("same_updates_gap")
    assert gaps["sgd"] < 1e-6 and gaps["adam"] < 1e-6


def test_sgd_finds_the_true_line_in_500_updates(run):
    sgd = run.value("final.sgd")
    assert abs(sgd["w"] - 2) < 0.01 and abs(sgd["b"] + 1) < 0.02
    assert abs(run.value("predict_10.sgd") - 19) < 0.05


def test_adam_at_the_same_learning_rate_is_slower_and_ends_higher(run):
    sgd, adam = run.value("final.sgd"), run.value("final.adam")
    assert adam["loss"] > 10 * sgd["loss"]
    assert abs(adam["b"] + 1) > abs(sgd["b"] + 1)
    assert abs(run.value("predict_10.adam") - 19) > abs(run.value("predict_10.sgd") - 19)
    steps = run.value("steps_to_threshold")
    assert steps["sgd"] < steps["adam"] <= run.value("UPDATES") + 1  # + 1: never got there


def test_adam_moves_each_weight_by_about_the_learning_rate(run):
    lr = run.value("LEARNING_RATE")
    adam_w, adam_b = run.value("first_steps.adam")
    assert 0.7 * lr < adam_w < 1.1 * lr and 0.7 * lr < adam_b < 1.1 * lr
    assert run.value("first_steps.sgd")[0] > 2 * lr  # SGD's step in w follows the steep slope
    assert 150 < run.value("adam_min_updates") < 250


def test_the_losses_start_equal_and_are_recorded_every_update(run):
    losses = run.value("losses")
    assert len(losses["sgd"]) == len(losses["adam"]) == run.value("UPDATES") + 1
    assert losses["sgd"][0] == losses["adam"][0]



def test_the_500_epoch_fit_is_mostly_overhead_and_a_graph_beats_eager(run):
    assert run.value("cost_weight_gap") < 1e-6  # four ways, the same 500 updates
    speedup = run.value("cost_speedup")
    assert speedup["one_epoch"] > 3 and speedup["graph"] > 2
    assert run.value("epoch_overhead_seconds") > 0


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"linear_loss_curves", "weight_paths"}


def test_from_most_starts_adam_is_the_slower_and_numpy_repeats_keras(run):
    assert run.value("numpy_gap") < 1e-4  # the many-starts updates are Keras' updates
    assert run.value("adam_slower_share") > 2 / 3 > 1 / 2 > run.value("adam_lower_share")
    verdicts = [c["verdict"] for c in run.value("claims")]
    assert verdicts[1:] == ["wrong", "depends", "wrong"]
