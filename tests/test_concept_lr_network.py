"""Too large a learning rate on the MNIST network: what the concept page says, on its run."""

import math

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("concept_lr_network")


def by_rate(run):
    return {r["rate"]: r for r in run.value("results")}


def test_moderate_rates_learn_and_keep_their_units(run):
    rates = by_rate(run)
    assert rates[0.01]["test_accuracy"] < rates[0.1]["test_accuracy"] < 0.99
    assert run.value("best")["rate"] in (0.1, 0.3)
    assert run.value("best")["test_accuracy"] > 0.93
    assert all(rates[r]["live_units"] >= 60 for r in (0.01, 0.1, 0.3))


def test_far_too_large_rates_silence_every_unit_instead_of_diverging(run):
    rates = by_rate(run)
    for rate in (3.0, 10.0):
        assert rates[rate]["live_units"] == 0
        assert rates[rate]["test_accuracy"] < 0.15
        assert rates[rate]["final_loss"] == pytest.approx(math.log(10), abs=0.3)
        assert rates[rate]["weights_finite"] and not rates[rate]["nan_loss"]
    assert rates[10.0]["highest_loss"] > 100 * math.log(10)


def test_a_rate_in_between_loses_part_of_the_layer(run):
    assert 0 < by_rate(run)[1.0]["live_units"] < 60


def test_the_claim_is_verdict_depends_and_names_the_line_run(run):
    claim = run.value("claims")[0]
    assert claim["verdict"] == "depends"
    assert claim["also"] == ["pitfalls_learning_rate"]


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"network_rates"}
