"""What the myth-busters page claims about initial weights."""

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("myths_init")


def test_zero_init_never_trains_the_hidden_layer(run):
    zeros = run.value("results.zeros")
    assert zeros["moved"] == ["output/bias"]
    assert zeros["digits_predicted"] == 1
    assert zeros["most_predicted_digit"] == run.value("most_common_label")
    assert zeros["test_accuracy"] < 0.15


@pytest.mark.parametrize("backend", ["", "@avx2", "@sse41"])
def test_constant_init_leaves_a_few_groups_of_clones_on_every_kernel(run_of, backend):
    results = run_of("myths_init" + backend).value("results")
    constant = results["constant"]
    assert constant["distinct_units"] <= 4  # rounding may split the clones, into a few groups
    assert sum(constant["group_sizes"]) == 32
    assert "hidden/kernel" in constant["moved"]  # the weights did move
    assert constant["test_accuracy"] < results["default"]["test_accuracy"] - 0.3
    assert results["default"]["distinct_units"] == 32


@pytest.mark.parametrize(("backend", "cap"), [("avx2", "AVX2"), ("sse41", "SSE41")])
def test_each_kernel_setting_ran_as_the_page_names_it(run_of, backend, cap):
    hardware = run_of(f"myths_init@{backend}").data["provenance"]["hardware"]
    assert hardware["settings"]["ONEDNN_MAX_CPU_ISA"] == cap


def test_default_init_is_far_better_than_the_others(run):
    results = run.value("results")
    assert results["default"]["distinct_units"] == 32
    assert results["default"]["test_accuracy"] > 0.85
    for key in ("zeros", "constant", "large"):
        assert results[key]["test_accuracy"] < results["default"]["test_accuracy"] - 0.3
    assert results["large"]["distinct_units"] == 32
    assert results["large"]["final_loss"] > 10 * results["default"]["final_loss"]



def test_the_run_raised_no_warnings_and_drew_its_figures(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"accuracy_by_init", "hidden_units_by_init"}
