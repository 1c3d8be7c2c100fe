"""The learning-rate threshold 2 / largest Hessian eigenvalue, checked on the real run."""

import json

import numpy as np
import pytest

from rundocs.publish import charts


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_lr")


def test_the_tape_hessian_equals_the_formula_from_the_data(run):
    assert run.value("hessian_gap") < 1e-10
    eigenvalues = np.linalg.eigvalsh(np.array(run.value("hessian_tape")))
    assert run.value("lr_max") == pytest.approx(2 / eigenvalues[-1], rel=1e-9)


def test_slow_oscillating_and_exploding_runs(run):
    slow, moderate, oscillating, exploding = run.value("sweep")
    assert slow["loss_after_60_steps"] > 2 * moderate["loss_after_60_steps"]
    assert oscillating["loss_after_60_steps"] <= moderate["loss_after_60_steps"]
    assert exploding["loss_after_60_steps"] > 1e6 * exploding["loss_at_start"]


def test_the_oscillating_run_zigzags(run):
    path = np.array(run.value("runs.oscillating")[0])
    steps = np.diff(path[:8], axis=0)
    assert np.any(steps[1:, 0] * steps[:-1, 0] < 0) or np.any(steps[1:, 1] * steps[:-1, 1] < 0)


def test_the_exploding_run_falls_first(run):
    losses = run.value("runs.exploding")[1]
    assert losses[1] < losses[0] < losses[-1]


def test_below_the_threshold_converges_and_above_it_diverges(run):
    assert run.value("all_below_converge") is True
    assert run.value("all_above_diverge") is True
    assert run.value("below_final") < 1.01 * run.value("best_loss")
    assert run.value("above_final") > 100 * run.value("start_loss")
    assert run.value("below_final") < run.value("at_threshold") < run.value("start_loss")


def test_the_fastest_rate_lies_below_the_threshold(run):
    assert 0.5 * run.value("lr_max") < run.value("lr_fastest") < run.value("lr_max")



def test_the_descent_chart_replays_the_four_runs_step_by_step(run):
    spec = charts.load(run, "descent_chart")
    path = charts.table_with(spec, "run", "step")
    steps = run.value("STEPS")
    for row in run.value("sweep"):
        mine = [p for p in path if p["run"] == row["run"]]
        assert [p["step"] for p in mine] == list(range(steps + 1))
        assert mine[-1]["loss"] == pytest.approx(row["loss_after_60_steps"], rel=1e-3)
        assert (mine[0]["w"], mine[0]["b"]) == (run.value("START_W"), run.value("START_B"))
    assert len(charts.table_with(spec, "w")) > 0
    bound = {p["name"]: p["bind"]["input"] for p in spec["params"]}
    assert bound == {"run": "radio", "step": "range"}


def test_the_descent_chart_shows_where_the_exploding_run_leaves_the_window(run):
    """Not clamped to the edge: the loss axis is not clamped, a run off the loss axis gets a
    triangle on the edge and an 'above the chart' note, one off the map a note with its
    (w, b), at the steps the recorded path says."""
    spec = charts.load(run, "descent_chart")
    path = charts.table_with(spec, "run", "step")
    top = run.value("LOSS_TOP")
    exploding = [p for p in path if p["run"] == "exploding"]
    assert run.value("leaves_loss_axis") == {
        "exploding": next(p["step"] for p in exploding if p["loss"] > top)}
    w_range, b_range = run.value("W_RANGE"), run.value("B_RANGE")
    assert run.value("leaves_map") == {"exploding": next(
        p["step"] for p in exploding if not (w_range[0] <= p["w"] <= w_range[1]
                                             and b_range[0] <= p["b"] <= b_range[1]))}
    assert run.value("leaves_map")["exploding"] <= 10 < run.value("leaves_loss_axis")["exploding"]
    assert exploding[-1]["loss"] > 100 * top
    layers = [layer for panel in spec["hconcat"] for layer in panel["layer"]]
    ys = [layer.get("encoding", {}).get("y", {}) for layer in layers]
    scales = [y["scale"] for y in ys if y.get("scale", {}).get("type") == "log"]
    assert scales and all(not s.get("clamp") and s["domain"] == [0.1, top] for s in scales)
    triangles = [layer for layer in layers if isinstance(layer["mark"], dict)
                 and layer["mark"].get("shape") == "triangle-up"]
    assert len(triangles) == 1
    text = json.dumps(spec)
    assert "above the chart" in text and "off the map" in text


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"learning_rate_sweep", "threshold"}
