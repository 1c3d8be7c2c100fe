"""What the pitfalls page claims about updating weights without gradients."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("pitfalls_no_gradient")


def test_the_fixed_nudge_makes_the_fit_worse_and_keeps_going(run):
    assert run.value("wrong_final_loss") > run.value("wrong_start_loss")
    assert run.value("wrong_best_step") == 0
    steps, nudge = run.value("STEPS"), run.value("LEARNING_RATE") * 0.1
    assert run.value("wrong_b") == pytest.approx(-steps * nudge, rel=1e-3)
    assert run.value("wrong_w") == pytest.approx(run.value("w_start") - steps * nudge, rel=1e-3)


def test_the_gradient_update_finds_the_line(run):
    assert run.value("right_w") == pytest.approx(2.0, abs=1e-3)
    assert run.value("right_b") == pytest.approx(-1.0, abs=1e-3)
    assert run.value("right_final_loss") < 1e-8


def test_the_seeds_literal_update_fails_on_the_second_step(run):
    assert run.value("literal_error").startswith("TypeError:")
    assert "NoneType" in run.value("literal_error")
    assert "EagerTensor, gradient None" in run.output("literal")



def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"loss_curves"}
