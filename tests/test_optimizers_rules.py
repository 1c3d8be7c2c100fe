"""The update rules in NumPy equal Keras' optimizers, and what they explain, on the rules page's run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("optimizers_rules")


def test_numpy_rules_equal_keras_optimizers_on_the_same_gradients(run):
    rows = run.value("agreement")
    assert [row["optimizer"] for row in rows] == ["SGD, momentum 0.9", "RMSprop", "Adam"]
    for row in rows:
        assert row["largest move"] > 0.01  # the weights really moved
        assert row["difference / move"] < 1e-4, row["optimizer"]


def test_bias_correction_makes_the_first_step_the_learning_rate(run):
    assert run.value("corrected")[0] == pytest.approx(1.0, abs=0.01)
    assert run.value("uncorrected")[0] == pytest.approx(0.1 / 0.001**0.5, abs=0.05)
    assert all(u > c for u, c in zip(run.value("uncorrected"), run.value("corrected")))
    assert run.value("uncorrected_peak") < run.value("steady_peak")


def test_warmup_shrinks_the_first_steps_then_catches_up(run):
    warmed, corrected, warmup = run.value("warmed"), run.value("corrected"), run.value("WARMUP")
    assert warmed[0] == pytest.approx(corrected[0] / warmup, rel=0.05)
    assert warmed[warmup - 1] == pytest.approx(corrected[warmup - 1], rel=0.2)


def test_adamw_shrinks_unused_weights_gently_and_l2_with_adam_wipes_them(run):
    plain, adamw, l2 = run.value("decay_table")
    assert plain["blank_pixels_kept"] == pytest.approx(1.0)  # no gradient, no decay: no move
    assert adamw["blank_pixels_kept"] == pytest.approx(run.value("adamw_shrink_expected"), abs=0.01)
    assert l2["blank_pixels_kept"] < 0.1
    assert l2["lit_pixels_kept"] < adamw["lit_pixels_kept"]
    assert run.value("blank_count") > 0


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"adam_first_steps"}
