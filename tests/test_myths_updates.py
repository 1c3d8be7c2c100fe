"""What the myth-busters page claims about how far each weight moves."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("myths_updates")


def test_after_training_moves_differ_by_orders_of_magnitude(run):
    stats = run.value("stats")
    assert stats["sgd_epochs"]["ratio"] > 1000
    assert stats["adam_epochs"]["ratio"] > 50
    assert 0.1 < stats["sgd_epochs"]["unmoved"] < 0.3
    assert 0.1 < stats["adam_epochs"]["unmoved"] < 0.3


def test_adams_first_step_moves_every_moving_weight_by_the_learning_rate(run):
    adam = run.value("stats.adam_step")
    assert adam["ratio"] < 1.2
    assert adam["median"] == pytest.approx(1e-3, rel=0.01)
    assert run.value("stats.sgd_step.ratio") > 100


def test_the_table_prints_each_ratio_as_the_page_quotes_it(run):
    """The page quotes Adam's one-step ratio with two decimals and the others whole; the
    printed table must show the same digits, not a rounded 1 beside the prose's 1.04."""
    table = run.output("summary")
    stats = run.value("stats")
    assert f"{stats['adam_step']['ratio']:.2f}" in table
    for key in ("sgd_step", "sgd_epochs", "adam_epochs"):
        assert stats[key]["ratio"] >= 10 and f"{stats[key]['ratio']:,.0f}" in table


def test_the_zero_gradient_rule_predicts_exactly_the_unmoved_weights(run):
    assert run.value("one_step_explained") is True
    blank = run.value("blank_pixels")
    assert blank > 0
    for count in run.value("unmoved_after_training").values():
        assert count > blank * 32  # most, not all, unmoved weights are on blank pixels
        assert blank * 32 > count / 2
    assert run.value("n_weights") == 784 * 32 + 32 + 32 * 10 + 10



def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"update_sizes"}
