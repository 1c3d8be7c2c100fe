"""What the myth-busters page claims about batches, updates and epochs."""

import math

import pytest


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("myths_batches")


def test_fit_updates_once_per_batch(run):
    n, batch_size, epochs = run.value("n"), run.value("BATCH_SIZE"), run.value("EPOCHS")
    assert run.value("updates") == epochs * math.ceil(n / batch_size) == 189
    assert run.value("full_updates") == epochs
    assert run.value("long_full_updates") == run.value("updates")
    assert len(run.value("batch_losses")) == run.value("updates") + 1


def test_many_small_updates_beat_a_few_full_ones_for_the_same_data(run):
    batch, full = run.value("batch_losses"), run.value("full_losses")
    assert batch[0] == pytest.approx(full[0])  # the same starting weights
    assert batch[-1] < full[-1] / 3


def test_full_batch_with_as_many_updates_gets_lower(run):
    assert run.value("long_full_losses")[-1] < run.value("batch_losses")[-1]


def test_some_batch_updates_raise_the_loss_but_few(run):
    assert 0 < run.value("steps_up") < run.value("updates") / 10



def test_the_run_raised_no_warnings_and_drew_its_figure(run):
    assert run.data["warnings"] == []
    assert set(run.data["figures"]) == {"loss_per_update"}
