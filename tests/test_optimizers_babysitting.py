"""Babysitting checks on the real network, on the babysitting page's run."""

import math

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_babysitting")


def test_the_start_is_chance_and_a_handful_of_images_is_memorized(run):
    assert run.value("start_loss") == pytest.approx(math.log(10), abs=0.3)
    assert run.value("tiny_final") < 0.01


def test_the_range_test_suggests_a_tenth_of_its_lowest_point(run):
    assert run.value("suggested_rate") == pytest.approx(run.value("lowest_rate") / 10)
    assert 1e-3 < run.value("suggested_rate") < 1


def test_the_suggested_rate_trains_and_the_others_do_not(run):
    accuracy = run.value("test_accuracy")
    assert accuracy["suggested"] > max(accuracy["low"], accuracy["high"]) + 0.5
    assert run.value("end_loss")["high"] == pytest.approx(math.log(10), abs=0.1)


def test_update_to_weight_ratios_tell_the_three_apart(run):
    ratio = run.value("median_ratio")
    assert ratio["low"]["hidden"] < 1e-4
    assert 1e-3 < ratio["suggested"]["hidden"] < 1e-2
    assert 1e-3 < ratio["suggested"]["output"] < 1e-2
    assert run.value("largest_ratio")["high"] > 0.1 and ratio["high"]["hidden"] < 1e-6


def test_minibatch_noise_falls_as_one_over_the_batch_size(run):
    assert run.value("slope") == pytest.approx(-1, abs=0.1)
    assert run.value("product_band") < 1.5
    spreads = [row["spread"] for row in run.value("noise")]
    assert spreads == sorted(spreads, reverse=True)


def test_the_run_raised_no_warnings_and_drew_its_figures(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"babysitting", "gradient_noise"}
