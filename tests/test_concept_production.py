"""Checkpoints, early stopping, schedules and a distribution strategy, on the real run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_production")


def test_early_stopping_stops_before_the_limit_and_restores_the_best_epoch(run):
    epochs_run, best = run.value("epochs_run"), run.value("best_epoch")
    assert epochs_run < run.value("MAX_EPOCHS")
    assert epochs_run == best + 3  # patience 3
    assert run.value("restored_val_loss") == pytest.approx(run.value("best_val_loss"), abs=1e-5)


def test_training_loss_falls_while_validation_loss_turns_up(run):
    losses = run.value("history.loss")
    assert all(b < a for a, b in zip(losses, losses[1:]))
    val = run.value("val_losses")
    assert min(val[run.value("best_epoch"):]) > run.value("best_val_loss")


def test_the_reloaded_checkpoint_is_the_best_model(run):
    assert run.value("reloaded_val_loss") == pytest.approx(run.value("best_val_loss"), abs=1e-5)
    assert run.value("weights_gap") == 0.0


def test_the_schedule_halves_the_rate_every_100_steps(run):
    rows = {row["step"]: row for row in run.value("schedule_table")}
    assert rows[100]["smooth"] == pytest.approx(rows[0]["smooth"] / 2)
    assert rows[50]["staircase"] == rows[0]["staircase"]
    assert rows[400]["smooth"] == pytest.approx(rows[0]["smooth"] / 16)


def test_the_optimizer_follows_the_schedule(run):
    steps = run.value("steps_taken")
    assert steps == 64
    assert run.value("lr_now") == pytest.approx(1e-3 * 0.5 ** (steps / 100), rel=1e-5)


def test_one_replica_on_this_machine_gives_the_same_weights(run):
    assert run.value("replicas") == 1
    assert run.value("strategy_gap") < 1e-6



def test_cosine_annealing_falls_from_the_start_through_half_to_zero(run):
    rates, steps = run.value("rate_by_step"), run.value("total_steps")
    cosine = rates["cosine"]
    assert len(cosine) == steps and cosine[0] == pytest.approx(1e-3)
    assert all(b <= a for a, b in zip(cosine, cosine[1:]))
    assert run.value("cosine_halfway") == pytest.approx(0.5, abs=0.01)
    assert cosine[-1] < 1e-5 and rates["constant"] == [pytest.approx(1e-3)] * steps


def test_in_three_short_epochs_decay_only_slows_learning(run):
    val = run.value("schedule_val")
    assert val["constant"]["loss"] < min(val["exponential"]["loss"], val["cosine"]["loss"])


def test_large_products_run_faster_per_operation_and_fewer_bits_round_more(run):
    assert run.value("devices")[0] == "CPU"
    rate = run.value("matmul_gflop_per_second")
    assert rate["1024"] > 5 * rate["16"]
    error = run.value("precision_error")
    assert error["float32"] < 1e-5 < 100 * error["float32"] < error["float16"] < error["bfloat16"]


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figure(run):
    assert set(run.data["figures"]) == {"early_stopping", "schedules"}
