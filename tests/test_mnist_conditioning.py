"""Scaling the pixels as conditioning, on the experiment page's curvature run."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("mnist_conditioning")


def test_dividing_by_255_scales_every_curvature_and_keeps_the_stretch(run):
    assert run.value("curvature_ratio") == pytest.approx(255**2, rel=1e-6)
    assert run.value("scaling_keeps_condition") < 1e-9
    assert run.value("raw_stable_rate") * 255**2 == pytest.approx(run.value("scaled_stable_rate"),
                                                                    rel=1e-6)


def test_centring_and_standardizing_make_the_bowl_rounder(run):
    assert run.value("standard_stretch") < run.value("centred_stretch") < run.value(
        "raw_stretch") / 2
    assert run.value("mean_alignment") > 0.99


def test_raw_pixels_stretch_only_the_first_layer_by_255_squared(run):
    assert run.value("same_function") < 1e-5
    assert run.value("hidden_ratio") == pytest.approx(255**2, rel=0.01)
    assert run.value("output_ratio") == pytest.approx(1, rel=0.01)
    stretch = run.value("layer_stretch")
    assert stretch["raw"] > 1000 * stretch["scaled"]


def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []
