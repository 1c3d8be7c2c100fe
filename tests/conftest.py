"""Shared fixtures: runs of the real examples, and a sandbox for the engine's own tests."""

import pytest

from rundocs import cache, results
from rundocs.results import latest
from rundocs.runner import run_one


@pytest.fixture(scope="session")
def run_of():
    """The stored run of an example, executing it first only if its source has no run yet."""

    def get(name):
        from rundocs import EXAMPLES

        run_one(EXAMPLES / f"{name}.py")
        return latest(name)

    return get


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """An empty examples folder with its own run store; returns a function that writes scripts."""
    examples = tmp_path / "examples"
    examples.mkdir()
    monkeypatch.setattr(cache, "RUNS", tmp_path / "runs")
    monkeypatch.setattr(results, "EXAMPLES", examples)

    def write(name, text):
        path = examples / f"{name}.py"
        path.write_text(text)
        return path

    write.examples, write.runs = examples, tmp_path / "runs"
    return write
