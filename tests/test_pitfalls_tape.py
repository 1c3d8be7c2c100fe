"""What the pitfalls page claims about reusing a GradientTape."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("pitfalls_tape")


def test_a_second_gradient_call_raises_the_real_error(run):
    assert run.value("error_type") == "RuntimeError"
    assert "non-persistent GradientTape" in run.value("error_message")
    assert run.output("wrong").startswith("RuntimeError: A non-persistent GradientTape")


def test_a_persistent_tape_returns_the_old_gradients_again(run):
    assert run.value("second_equals_first") is True
    assert run.value("fresh_equals_first") is False


def test_a_fresh_tape_per_step_trains(run):
    losses = run.value("step_losses")
    assert len(losses) == 10
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))



def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []
