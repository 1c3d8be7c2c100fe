"""``make check-seeds``: every example again with its ``SEED = 0`` set to another seed.

A verdict or a page check that holds for the lessons' seed only is one run's outcome, not a
lesson: the seed matrix runs copies of the examples with other seeds, each in its own store,
and reads every claim and check from each, as the back-end and release matrices do.
"""

import pytest

from rundocs.commands import matrix
from rundocs.errors import RunError
from rundocs.store import results, runner
from rundocs.store.runner import run_one

# A lesson whose one claim holds or not by the draw of its seed: random.seed(0) draws 0.84,
# random.seed(1) 0.13 and random.seed(2) 0.96.
DRAW = """\"\"\"One draw.\"\"\"
# %% draw
import random

SEED = 0
random.seed(SEED)
draw = random.random()
claims = [dict(source="x", claim="the draw is below a half", measured=f"{draw:.2f}",
               verdict="holds" if draw < 0.5 else "wrong")]
"""


@pytest.fixture
def seeds(sandbox, tmp_path, monkeypatch):
    """The seed axis over the sandbox's examples, its stores under ``tmp_path``."""
    script = sandbox("draw", DRAW)
    monkeypatch.setattr(runner, "EXAMPLES", script.parent)
    monkeypatch.setattr(matrix, "EXAMPLES", script.parent)
    monkeypatch.setenv("RUNDOCS_EXAMPLES", str(script.parent))
    axis = matrix.Axis("seeds", (1, 2))
    axis.stores = tmp_path / "seeds"
    return axis, script


def test_each_seed_runs_copies_of_the_examples_with_that_seed_in_a_store_of_its_own(seeds):
    axis, script = seeds
    assert matrix.chosen(axis) == ["default", "seed1", "seed2"]
    run_one(script)  # the build's own run, seed 0
    table = {"default": matrix.verdicts("default", matrix.cache.RUNS, ["draw"], axis)}
    for column in ("seed1", "seed2"):
        store = matrix.run_under(column, ["draw"], axis)
        assert store == axis.stores / column / "runs"
        copy = axis.examples(column) / "draw.py"
        assert f"SEED = {column[-1]}\n" in copy.read_text() and "SEED = 0" not in copy.read_text()
        table[column] = matrix.verdicts(column, store, ["draw"], axis)
    verdicts = {column: rows["draw claim 1: the draw is below a half"]
                for column, rows in table.items()}
    assert verdicts == {"default": "wrong", "seed1": "holds", "seed2": "wrong"}
    assert results.EXAMPLES == script.parent  # reading another seed's store put the lessons back
    assert "SEED = 0" in script.read_text()  # the lesson itself is never edited


def test_a_lesson_without_exactly_one_seed_line_is_named_not_run_unchanged(seeds, sandbox):
    axis, _ = seeds
    sandbox("twice", "# %% a\nSEED = 0\nSEED = 0\n")
    with pytest.raises(RunError, match=r"examples/twice.py has 2 lines `SEED = 0`, not one"):
        matrix.reseeded(axis.examples("seed1"), 1)


def test_a_copy_of_a_removed_example_is_removed_too(seeds, sandbox):
    axis, _ = seeds
    gone = sandbox("gone", "# %% a\nSEED = 0\n")
    matrix.reseeded(axis.examples("seed1"), 1)
    gone.unlink()
    matrix.reseeded(axis.examples("seed1"), 1)
    assert sorted(p.name for p in axis.examples("seed1").glob("*.py")) == ["draw.py"]


def test_seeds_are_asked_for_as_whole_numbers(capsys):
    assert matrix.main(["--seeds=1,x"]) == 1
    assert "--seeds takes whole numbers" in capsys.readouterr().err


def test_every_lesson_can_be_reseeded(tmp_path):
    """Each example draws its random numbers from one `SEED = 0` line the matrix can set."""
    copies = matrix.reseeded(tmp_path, 7)
    assert len(list(copies.glob("*.py"))) == len(runner.examples())
    assert all("SEED = 7\n" in copy.read_text() for copy in copies.glob("*.py"))

