"""Three published figures re-run (Distill's momentum, He's initialization, TensorFlow's
quickstart): what the momentum, myth-buster and MNIST-further pages say, checked on the run."""

import math

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("literature_witness")


def test_the_published_figures_are_the_formulas_for_a_condition_number_of_100(run):
    distill = run.value("distill")
    assert distill["kappa"] == 100
    assert distill["plain"]["published_rate"] == pytest.approx(99 / 101)
    assert distill["momentum"]["published_rate"] == pytest.approx(9 / 11)
    assert distill["momentum"]["learning_rate"] == pytest.approx(4 / 121)
    assert distill["momentum"]["beta"] == pytest.approx((9 / 11) ** 2)
    assert distill["plain"]["published_steps"] == math.ceil(math.log(1e-6) / math.log(99 / 101))
    assert distill["momentum"]["published_steps"] == math.ceil(math.log(1e-6) / math.log(9 / 11))


def test_keras_sgd_contracts_at_distills_rates(run):
    distill = run.value("distill")
    for name in ("plain", "momentum"):
        assert distill[name]["measured_rate"] == pytest.approx(distill[name]["published_rate"],
                                                               abs=0.005)
    # plain descent at 2 / (lambda_1 + lambda_n) shrinks both directions by the same factor
    assert distill["plain"]["measured_rate"] == pytest.approx(99 / 101, abs=1e-6)
    assert run.value("claims")[0]["verdict"] == "holds"


def test_plain_descent_takes_the_predicted_steps_and_momentum_takes_more(run):
    distill = run.value("distill")
    assert abs(distill["plain"]["measured_steps"] - distill["plain"]["published_steps"]) <= 1
    # critical damping: the error shrinks like t * rate**t, so momentum needs a third more
    assert distill["momentum"]["steps_ratio"] > 1.2
    assert distill["momentum"]["error_at_published_steps"] > 10 * distill["level"]
    assert max(map(abs, distill["momentum"]["discriminants"])) < 1e-12
    assert distill["momentum"]["growth_last_half"] == pytest.approx(2, rel=0.05)
    # still several times faster than plain descent, though not the tenfold the rates promise
    assert 5 < distill["measured_speedup"] < distill["published_speedup"]
    assert run.value("claims")[1]["verdict"] == "wrong"


def test_he_initialization_gives_the_relu_statistics_of_a_variance_of_two(run):
    he = run.value("he_relu")
    assert he["published_mean"] == pytest.approx(1 / math.sqrt(math.pi))
    assert he["published_std"] == pytest.approx(math.sqrt(1 - 1 / math.pi))
    assert he["measured_variance"] == pytest.approx(2, rel=0.02)
    assert he["measured_mean"] == pytest.approx(he["published_mean"], rel=0.02)
    assert he["measured_std"] == pytest.approx(he["published_std"], rel=0.02)
    assert he["measured_second_moment"] == pytest.approx(1, rel=0.02)
    assert run.value("claims")[2]["verdict"] == "holds"


def test_he_keeps_a_deep_relu_signal_and_glorot_halves_it_per_layer(run):
    depth = run.value("he_depth")
    assert len(depth["he"]) == len(depth["glorot"]) == depth["depth"] == 10
    assert 0.5 < depth["he"][-1] < 2
    assert 0.5 < depth["glorot"][-1] / depth["glorot_predicted"] < 2
    assert all(b < 0.7 * a for a, b in zip(depth["glorot"], depth["glorot"][1:]))
    assert run.value("claims")[3]["verdict"] == "holds"


def test_the_quickstart_reaches_about_98_percent_above_the_sources_94(run):
    quickstart = run.value("quickstart")
    assert quickstart["weights"] == 784 * 128 + 128 + 128 * 10 + 10
    assert quickstart["test_accuracy"] >= 0.97
    assert quickstart["test_accuracy"] > quickstart["sources_accuracy"] + 0.02
    assert run.value("claims")[4]["verdict"] == "holds"


def test_every_claim_names_its_publication_not_one_of_the_sites_sources(run):
    claims = run.value("claims")
    assert len(claims) == 5
    assert all(c["source"] not in {"000", "001", "002", "003", "004"} for c in claims)
    assert all(c["verdict"] in {"holds", "wrong", "depends"} for c in claims)


def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"distill_rates"}
