"""What the MNIST experiment page claims, checked on the run the page shows."""

import pytest

from rundocs.publish import charts


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("mnist_experiment")


def test_untrained_network_is_at_chance_level(run):
    assert 0.05 < run.value("test_accuracy_before") < 0.15


def test_training_lifts_test_accuracy_far_above_chance(run):
    assert run.value("test_accuracy") > 0.95


def test_training_loss_falls_and_training_accuracy_rises_every_epoch(run):
    losses, accuracies = run.value("history.loss"), run.value("history.accuracy")
    assert len(losses) == 5
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))
    assert all(later > earlier for earlier, later in zip(accuracies, accuracies[1:]))
    assert run.value("test_loss") < run.value("loss_before") / 10


def test_validation_accuracy_levels_off_near_its_best(run):
    assert run.value("best_val_accuracy") - run.value("history.val_accuracy[-1]") < 0.005


def test_weights_of_always_blank_pixels_never_move(run):
    assert run.value("corner_moved") is False
    assert run.value("unchanged_rows") == run.value("blank_pixels") > 0


def test_weights_of_inked_pixels_and_the_output_layer_move(run):
    assert run.value("centre_change") > 0.01
    assert run.value("output_change") > 0.01


def test_the_smaller_network_learns_less_well_but_still_learns(run):
    assert 0.9 < run.value("small_test_accuracy") < run.value("test_accuracy")
    assert run.value("mistakes_ratio") > 1
    assert run.value("small_params") < run.value("big_params") / 3


def test_the_sources_input_shape_form_warns_once_about_keras_input(run):
    (warning,) = run.value("input_shape_warnings")
    assert warning.startswith("UserWarning") and "Input(shape)" in warning


def test_the_loss_falls_along_the_line_to_the_trained_weights_and_rises_past_them(run):
    losses = run.value("slice_loss")
    assert len(losses) == 21 and run.value("slice_falls_all_the_way") is True
    assert losses[15] == run.value("slice_end") < losses[5] / 10  # t = 1 against t = 0
    assert run.value("slice_beyond") > 1.1 * run.value("slice_end")


def test_the_first_layer_chart_runs_from_the_untrained_to_the_trained_weights(run):
    frames = charts.table_with(charts.load(run, "first_layer_chart"), "image")
    assert [f["step"] for f in frames] == run.value("snapshot_steps")
    assert frames[0]["accuracy"] == pytest.approx(run.value("test_accuracy_before"), abs=5e-5)
    assert frames[-1]["accuracy"] == pytest.approx(run.value("test_accuracy"), abs=5e-5)
    assert frames[-1]["step"] == 5 * run.value("updates_per_epoch")
    assert run.value("last_frame_is_final") and run.value("blank_in_every_frame")
    assert all(f["image"].startswith("data:image/png;base64,") for f in frames)


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"training_curves", "first_layer_weights",
                                        "hidden_64_vs_16", "loss_slice"}
