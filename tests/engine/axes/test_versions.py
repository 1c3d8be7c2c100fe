"""Runs under another TensorFlow release: their own environment, lock, key and record.

A release here is a lock that pins nothing, so that its environment installs in seconds and
offline; what matters is that the run is made by that environment's Python and keyed by its
lock, as ``make check-versions`` and ``# rundocs: backends=RELEASE`` rely on.
"""

import sys

import pytest

from rundocs.axes.tensorflow import versions
from rundocs.commands import matrix
from rundocs.errors import RunError
from rundocs.store import cache, checked
from rundocs.store.results import latest
from rundocs.store.runner import run_one

SCRIPT = "# rundocs: backends=tiny\n# %% where\nimport sys\nprefix = sys.prefix\n"


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A release ``tiny`` whose lock pins nothing, its environments under ``tmp_path``."""
    locks = tmp_path / "locks"
    locks.mkdir()
    (locks / "tiny.lock").write_text("# a release that pins nothing\n")
    monkeypatch.setattr(versions, "LOCKS", locks)
    monkeypatch.setattr(versions, "ENVIRONMENTS", tmp_path / "environments")
    monkeypatch.setattr(checked, "RECORD", locks / "checked.json")
    monkeypatch.delenv(versions.ACTIVE, raising=False)
    return locks / "tiny.lock"


def test_a_run_under_a_release_is_made_by_its_environment_and_keyed_by_its_lock(
        tiny, sandbox, tmp_path):
    script = sandbox("where", SCRIPT)
    run_one(script)
    run_one(script, backend="tiny")
    assert latest("where").value("prefix") == sys.prefix
    assert latest("where@tiny").value("prefix") == str(tmp_path / "environments/tiny/venv")
    assert cache.key(script) != cache.key(script, "tiny")
    assert cache.inputs(script, "tiny")["the lock file"] != cache.inputs(script)["the lock file"]


def test_a_changed_lock_reinstalls_the_environment_and_reruns(tiny, sandbox, tmp_path):
    script = sandbox("where", SCRIPT)
    run_one(script, backend="tiny")
    stamp = tmp_path / "environments/tiny/venv.lock-sha256"
    before = stamp.read_text()
    tiny.write_text("# a release that still pins nothing, written again\n")
    outcome = run_one(script, backend="tiny")
    assert not outcome.cached and "the lock file changed" in outcome.why
    assert stamp.read_text() != before


def test_a_whole_store_runs_under_the_release_the_environment_names(tiny, sandbox, monkeypatch):
    script = sandbox("where", SCRIPT.replace("# rundocs: backends=tiny\n", ""))
    monkeypatch.setenv(versions.ACTIVE, "tiny")  # what `rundocs run --tensorflow tiny` sets
    run_one(script)
    assert latest("where").value("prefix").endswith("environments/tiny/venv")
    assert cache.inputs(script)["the lock file"] == cache.inputs(script, "tiny")["the lock file"]


def test_an_unknown_release_is_named_with_the_known_ones(tiny, sandbox):
    script = sandbox("where", SCRIPT.replace("tiny", "tf9_99"))
    with pytest.raises(RunError, match=r"unknown back-end 'tf9_99'.*TensorFlow releases: tiny"):
        run_one(script, backend="tf9_99")


def test_the_version_matrix_gives_each_release_a_store_and_an_option(tmp_path, monkeypatch):
    axis = matrix.Axis("versions")
    calls = []
    monkeypatch.setattr(matrix.subprocess, "call",
                        lambda command, env, cwd, preexec_fn: calls.append((command, env)) or 0)
    monkeypatch.setattr(versions, "ENVIRONMENTS", tmp_path)
    axis.stores = tmp_path
    store = matrix.run_under("tf2_16", ["pitfalls_tape"], axis)
    assert store == tmp_path / "tf2_16" / "runs"
    (command, env), = calls
    assert command[-4:] == ["--no-publish", "--tensorflow", "tf2_16", "pitfalls_tape"]
    assert env["RUNDOCS_RUNS"] == str(store) and versions.ACTIVE not in env
    assert matrix.chosen(axis) == ["default", *versions.CHECKED]
    assert axis.settings("tf2_16") == {versions.ACTIVE: "tf2_16"} and axis.settings("default") == {}


def test_the_record_holds_only_while_the_example_is_unchanged(tiny, sandbox, monkeypatch):
    script = sandbox("where", SCRIPT)
    monkeypatch.setattr(checked, "EXAMPLES", script.parent)
    monkeypatch.setattr("rundocs.store.runner.EXAMPLES", script.parent)
    table = {"default": {"where claim 1: x": "holds", "p.md:3 check: where.prefix": "true"},
             "tiny": {"where claim 1: x": "holds", "p.md:3 check: where.prefix": "FALSE (…)"}}
    checked.save(table, ["default", "tiny"], [], "a test machine")
    found = checked.status("where")
    assert found["current"] and found["claims"] == 1 and found["checks"] == 1
    assert found["differ"] == ["p.md:3 check: where.prefix"]
    assert "1 of its claims and page checks came out differently" in checked.sentence("where", "v/")
    script.write_text(SCRIPT + "more = 1\n")
    assert not checked.status("where")["current"]
    assert checked.sentence("where", "v/").startswith("Not yet checked")
