"""The MNIST network's curvature and momentum against plain SGD, on the momentum page's run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_curvature")


@pytest.mark.parametrize("point", ["start", "trained"])
def test_the_steepest_direction_is_far_steeper_than_the_mean(run, point):
    measured = run.value(point)
    assert measured["largest"] > 0 < measured["mean"]
    assert measured["stretch"] == pytest.approx(measured["largest"] / measured["mean"])
    assert measured["stretch"] > 1000  # the momentum page's bowl: 100


@pytest.mark.parametrize("point", ["start", "trained"])
def test_blank_pixels_give_exactly_flat_directions_and_some_curve_down(run, point):
    measured = run.value(point)
    assert measured["blank_pixels"] > 0 and measured["flat_curvature"] == 0
    assert measured["most_negative"] < 0


def test_momentum_trains_like_plain_sgd_at_ten_times_the_rate(run):
    sweep = run.value("sweep")
    assert [r["effective_rate"] for r in sweep[:3]] == pytest.approx(
        [r["effective_rate"] for r in sweep[3:]])
    assert run.value("largest_pair_gap") < 0.1


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"curvature_spectrum"}
