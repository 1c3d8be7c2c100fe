"""What the optimizers page claims about schedules, batch sizes and Adam on sin(x)."""

import math

import pytest

from rundocs.publish import charts


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_sin")


def test_the_training_loop_makes_the_same_updates_as_fit(run):
    assert run.value("loop_vs_fit_gap") < 1e-5


def test_the_staircase_changes_the_rate_every_25_epochs_not_every_epoch(run):
    assert run.value("updates_per_epoch.32") == 4
    assert run.value("epochs_between_changes") == [25]
    assert run.value("distinct_rates") == 21
    assert run.value("final_rate.32") == pytest.approx(0.01 * 0.96**20, rel=1e-5)
    assert run.value("final_rate.32") < run.value("LEARNING_RATE") / 2


def test_the_schedule_settles_lower_in_nearly_every_seed(run):
    seeds = len(run.value("SEEDS"))
    assert seeds >= 5
    assert run.value("schedule_ends_lower_in") >= seeds - 2
    assert run.value("schedule_best_lower_in") > seeds / 2
    assert run.value("seed_end.constant[0]") == run.value("end_loss.constant")  # seed 0 is the plot


def test_one_seed_cannot_settle_which_finds_the_lower_minimum(run):
    best = run.value("best_loss")
    assert abs(best["constant"] - best["staircase"]) < 0.5 * max(best.values())


def test_smaller_batches_make_more_updates_and_a_noisier_loss(run):
    per_epoch, change = run.value("updates_per_epoch"), run.value("epoch_change")
    assert (per_epoch["8"], per_epoch["32"], per_epoch["100"]) == (13, 4, 1)
    assert change["8"] > change["32"] > change["100"]
    assert run.value("noisier_in") >= len(run.value("BATCH_SEEDS")) - 1


def test_a_smaller_batch_gives_a_gradient_further_from_the_full_ones(run):
    spread = run.value("spread")
    assert spread["8"] > 1.5 * spread["32"] > 0 == spread["100"]
    assert run.value("spread_ordered_in") == len(run.value("BATCH_SEEDS"))


def test_the_schedule_decays_further_with_smaller_batches(run):
    rate = run.value("final_rate")
    assert rate["8"] == pytest.approx(0.01 * 0.96**65, rel=1e-5)
    assert rate["8"] < rate["32"] < rate["100"]


def test_the_prediction_outside_the_training_range_is_far_off(run):
    assert run.value("true_10") == pytest.approx(math.sin(10))
    assert run.value("inside_rmse") < 0.05
    assert abs(run.value("predict_10") - run.value("true_10")) > 3 * run.value("inside_rmse")


def test_adam_is_much_faster_than_sgd_here_but_not_steadier(run):
    steps, end = run.value("steps_to_threshold"), run.value("end_loss")
    assert steps["adam"] * 5 < steps["sgd"]
    assert end["adam"] < end["sgd"] / 3
    change = run.value("epoch_change")
    assert change["adam"] > 1.3 * change["sgd"]
    assert run.value("sgd_first_step") < run.value("LEARNING_RATE") / 10



def test_the_sgd_adam_chart_holds_both_runs_curves_and_losses(run):
    spec = charts.load(run, "sgd_adam_chart")
    curves = charts.table_with(spec, "x", "optimizer")
    snapshots = run.value("SNAPSHOTS")
    assert [c["epoch"] for c in curves] == snapshots * 2  # SGD's, then Adam's
    losses = charts.table_with(spec, "loss", "optimizer")
    last = run.value("LAST")
    for key, name in run.value("NAMES").items():
        mine = [row["loss"] for row in losses if row["optimizer"] == name]
        assert len(mine) == run.value("EPOCHS")
        assert sum(mine[-last:]) / last == pytest.approx(run.value("end_loss")[key], rel=1e-3)
    assert spec["params"][0]["value"] == run.value("EPOCHS")


def layers_of(spec):
    """Every layer of every panel of a concatenated chart."""
    return [layer for panel in spec.get("hconcat", []) for layer in panel.get("layer", [panel])]


def mark_type(layer):
    mark = layer.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def test_the_sgd_adam_chart_draws_the_threshold_the_text_counts_to(run):
    """A rule at THRESHOLD, a marker where each run first ends an epoch below it, and the
    update counts the text quotes, all from the run."""
    spec = charts.load(run, "sgd_adam_chart")
    threshold, steps = run.value("THRESHOLD"), run.value("steps_to_threshold")
    rules = [layer for layer in layers_of(spec) if mark_type(layer) == "rule"]
    assert len(rules) == 1 and rules[0]["encoding"]["y"]["field"] == "threshold"
    assert [{"threshold": threshold}] in charts.datasets(spec)
    crossings = charts.table_with(spec, "updates", "optimizer")
    names = run.value("NAMES")
    assert {row["optimizer"]: row["updates"] for row in crossings} == {
        names[k]: steps[k] for k in ("sgd", "adam")}
    losses = charts.table_with(spec, "loss", "optimizer")
    for row in crossings:  # the marked epoch is the first whose loss is below the threshold
        mine = [r["loss"] for r in losses if r["optimizer"] == row["optimizer"]]
        first = next(i for i, loss in enumerate(mine, 1) if loss < threshold)
        assert row["epoch"] == first == row["updates"] // run.value("updates_per_epoch.32")
    note = spec["hconcat"][1]["title"]["subtitle"]
    assert str(threshold) in note[0]
    assert f"Adam after {steps['adam']} updates" in note[1]
    assert f"SGD after {steps['sgd']} updates" in note[1]


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"schedule_vs_constant", "schedule_seeds", "batch_sizes",
                                        "outside_training_range", "sgd_vs_adam_sin"}
