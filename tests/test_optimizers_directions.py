"""Plain descent per direction and momentum's square-root speed-up, on the momentum page's run."""

import math

import pytest

from rundocs.publish import charts


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_directions")


def test_each_direction_shrinks_by_one_minus_rate_times_curvature(run):
    rate, kappa = run.value("RATE"), run.value("KAPPA")
    gentle, steep = run.value("measured_factors")
    assert gentle == pytest.approx(1 - rate, abs=1e-3)
    assert steep == pytest.approx(1 - rate * kappa, abs=1e-3)
    assert run.value("deviation") < 1e-5


def test_the_vectorized_rule_is_keras_sgd_with_momentum(run):
    assert run.value("rule_gap") < 1e-5


def test_plain_descent_slows_with_kappa_and_momentum_gains_about_its_root(run):
    rows = run.value("pace")
    assert [row["kappa"] for row in rows] == [10, 100, 1000]
    assert 50 < run.value("plain_growth") < 150
    for row in rows:
        assert 0.5 < row["speed-up"] / math.sqrt(row["kappa"]) < 1.2, row
        assert abs(row["best momentum"] - row["theory's best momentum"]) < 0.1, row


def test_the_chart_is_the_recorded_grid(run):
    spec = charts.load(run, "momentum_chart")
    grid = charts.table_with(spec, "factor", "beta", "steps")
    path = charts.table_with(spec, "w0", "w1", "step")
    assert len(grid) == len(run.value("CHART_RATES")) * len(run.value("CHART_BETAS"))
    assert len(path) == len(grid) * (run.value("CHART_STEPS") + 1)
    best = run.value("chart_best")
    assert min(row["steps"] for row in grid if row["steps"] is not None) == best["steps"]
    assert best["factor"] > 2 and best["beta"] > 0


def test_the_run_raised_no_warnings_and_drew_its_figures(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"per_direction", "momentum_grid"}
