"""What the concept page claims about weights, loss, gradients and descent, on its real run."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_descent")


def test_the_prediction_follows_the_dials(run):
    rows = run.value("dial_table")
    for row in rows:
        assert row["prediction for x = 2"] == pytest.approx(2 * row["w"] + row["b"], abs=1e-5)


def test_the_kernel_starts_random_and_the_bias_at_zero(run):
    assert run.value("init_w") != 0.0
    assert run.value("init_b") == 0.0


def test_losses_by_hand_equal_keras_losses(run):
    assert run.value("mse_by_hand") == pytest.approx(run.value("mse_keras"), rel=1e-6)
    assert run.value("ce_by_hand") == pytest.approx(run.value("ce_keras"), rel=1e-5)


def test_the_tape_matches_the_analytic_gradient(run):
    assert run.value("grad_w") == pytest.approx(run.value("analytic_w"), rel=1e-5)
    assert run.value("grad_b") == pytest.approx(run.value("analytic_b"), rel=1e-5)
    assert run.value("grad_w") < 0 < run.value("grad_b")


def test_one_step_is_the_sgd_formula_and_lowers_the_loss(run):
    assert run.value("step_is_formula") is True
    assert run.value("loss_after_step") < run.value("loss_before_step")


def test_the_loss_keeps_falling_past_the_step_along_its_direction(run):
    """The one-step figure's slice: walking further than the step still lowers the loss."""
    x, y = np.array(run.value("x"))[:, 0], np.array(run.value("y"))[:, 0]
    lr, w0, b0 = run.value("LR"), run.value("START_W"), run.value("START_B")
    t = 2 * lr
    w, b = w0 - t * run.value("grad_w"), b0 - t * run.value("grad_b")
    assert np.mean((w * x + b - y) ** 2) < run.value("loss_after_step")


def test_the_one_step_figure_measures_distance_not_the_learning_rate(run):
    """Its x axis is the distance walked in (w, b): the learning rate times the gradient's
    length, which here is far from the learning rate itself."""
    norm = np.hypot(run.value("grad_w"), run.value("grad_b"))
    assert run.value("grad_norm") == pytest.approx(norm, rel=1e-6)
    assert run.value("step_distance") == pytest.approx(run.value("LR") * norm, rel=1e-4)
    assert run.value("step_distance") > 5 * run.value("LR")


def test_fit_and_the_hand_written_loop_end_at_the_same_weights(run):
    assert run.value("fit_gap") < 1e-5
    assert run.value("hand_w") == pytest.approx(run.value("best_w"), abs=1e-3)
    assert run.value("hand_b") == pytest.approx(run.value("best_b"), abs=1e-3)
    assert run.value("final_loss") == pytest.approx(run.value("best_loss"), rel=1e-5)


def test_the_loss_falls_until_float32_rounding(run):
    assert run.value("falling_steps") > 50
    assert run.value("within_rounding") is True


def test_one_training_step_is_a_graph_that_writes_each_weight_once(run):
    assert run.value("weight_writes") == 2
    assert run.value("op_counts.MatMul") == 2



def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"one_weight", "one_step", "weight_trajectories",
                                        "loss_surface"}


def test_one_weight_steps_downhill_against_its_slope_and_the_steps_shrink(run):
    steps = run.value("one_weight_steps")
    lr = run.value("LR")
    for earlier, later in zip(steps, steps[1:]):
        assert later["w"] == pytest.approx(earlier["w"] - lr * earlier["slope dL/dw"], abs=2e-3)
        assert later["loss"] < earlier["loss"]
    moves = run.value("w_moves")
    assert moves[0] > moves[1] > moves[2] > 0
