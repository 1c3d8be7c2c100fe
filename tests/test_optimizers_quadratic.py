"""What the optimizers page says about the stretched bowl, checked on the run it shows."""

import math

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_quadratic")


def test_plain_descent_diverges_above_two_over_kappa_and_not_below(run):
    assert run.value("stable_limit") == pytest.approx(2 / run.value("KAPPA"))
    assert run.value("plain_diverges_above_limit") is True
    assert run.value("plain_finite_below_limit") is True
    assert run.value("best_rate.plain") < run.value("stable_limit")


def test_momentum_rmsprop_and_adam_end_a_hundred_times_lower_than_plain_descent(run):
    best = run.value("best_loss")
    assert max(best["momentum"], best["rmsprop"], best["adam"]) < best["plain"] / 100
    assert best["plain"] < run.value("start_loss") / 100  # plain descent does learn


def test_rmsprop_is_best_but_least_forgiving_of_the_three(run):
    best, good = run.value("best_loss"), run.value("good_rates")
    assert best["rmsprop"] < min(best["momentum"], best["adam"])
    assert min(good["momentum"], good["adam"]) > good["rmsprop"] >= 1
    assert good["plain"] == 0


def test_a_more_stretched_bowl_lowers_the_best_rate_and_slows_plain_descent(run):
    rows = run.value("condition")
    assert [r["kappa"] for r in rows] == [1.0, 10.0, 100.0]
    assert rows[0]["best_rate"] > rows[1]["best_rate"] > rows[2]["best_rate"]
    assert rows[2]["loss_after_100_steps"] > 1e6 * rows[1]["loss_after_100_steps"]
    assert all(math.isfinite(r["loss_after_100_steps"]) for r in rows)


def test_the_run_raised_no_warnings_and_drew_its_figures(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"rate_sweep", "paths"}
