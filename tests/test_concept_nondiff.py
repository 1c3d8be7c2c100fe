"""Non-differentiable operations: what the tape returns, and the two ways round it."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_nondiff")


def test_round_floor_step_and_argmax_have_no_gradient_sign_has_zero(run):
    gradients = {row["operation"]: row["gradient"] for row in run.value("gradient_table")}
    assert gradients["v * 3 (smooth)"] == "3"
    for name in ("tf.round(v)", "tf.floor(v)", "step: cast(v > 0)", "argmax([v, 1 - v])"):
        assert gradients[name] == "None"
    assert gradients["tf.sign(v)"] == "0"


def test_the_error_rate_cannot_be_trained_by_gradients(run):
    assert run.value("no_gradient") is True
    assert "No gradients provided" in run.value("apply_error")


def test_both_the_stand_in_loss_and_random_search_lower_the_error_rate(run):
    start = run.value("start_error")
    assert run.value("surrogate_error") < start / 3
    assert run.value("search_error") <= run.value("surrogate_error")


def test_the_error_rate_is_a_staircase_cross_entropy_is_smooth(run):
    errors = run.value("slice_error")
    steps = sum(1 for a, b in zip(errors, errors[1:]) if a != b)
    assert steps < len(errors) / 2  # flat between jumps
    ce = run.value("slice_ce")
    assert all(b > a for a, b in zip(ce, ce[1:]))  # strictly rising along this weight



def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figure(run):
    assert set(run.data["figures"]) == {"flat_loss"}
