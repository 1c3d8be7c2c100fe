"""Every example runs as a reader gets it: the built site's script, alone, and it gives the
build's numbers again; its notebook holds the same code.

Each downloaded script is copied alone into an empty folder and run there, once, with the
locked packages and nothing of the project on the path. MNIST reaches Keras' loader the way it
does in the engine (:mod:`rundocs.axes.tensorflow.offline`), installed by a ``sitecustomize`` module that then
takes the project off the path again. That module also keeps, as the script exits, its
top-level values as the engine keeps them (:func:`rundocs.run.child.quotable`).

The run is made from scratch under the build's numeric settings (one thread, the same hash
seed), so it is also the reproducibility check of CI: every value and every number it printed
must equal the build's run of the same source, compared as ``make check-reproducible``
compares (:mod:`rundocs.store.compare`). The downloaded notebook is not run again: its code cells
must be the script's cells, one for one, so "Run all" runs exactly the script that ran.
"""

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from itertools import zip_longest
from pathlib import Path

import nbformat
import pytest

from rundocs.axes import backends
from rundocs.project import LOCK_FILE, ROOT
from rundocs.run.cells import split
from rundocs.run.child import ENVIRONMENT
from rundocs.store.compare import differences
from rundocs.store.results import latest
from rundocs.store.runner import examples

pytestmark = pytest.mark.site
SITECUSTOMIZE = f"""\
import atexit, json, os, sys
sys.path.insert(0, {str(ROOT)!r})
from rundocs.axes.tensorflow import offline
from rundocs.run.child import SKIP, quotable
offline.install()  # keras.datasets.mnist.load_data answers from the project's verified copy
sys.path.remove({str(ROOT)!r})


@atexit.register
def keep_values():  # the script's top-level values, as the engine keeps them
    main = vars(sys.modules["__main__"])
    kept = {{name: quotable(value) for name, value in list(main.items())
            if not name.startswith("_")}}
    with open(os.environ["RUNDOCS_VALUES"], "w") as out:
        json.dump({{k: v for k, v in kept.items() if v is not SKIP}}, out)
"""


def locked_imports() -> set[str]:
    """Top-level module names the locked distributions provide."""
    locked = {re.sub(r"[-_.]+", "-", name).lower() for name in
              re.findall(r"^([\w.-]+)==", LOCK_FILE.read_text(), re.MULTILINE)}
    return {module for module, dists in importlib.metadata.packages_distributions().items()
            if any(re.sub(r"[-_.]+", "-", d).lower() in locked for d in dists)}


@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_an_example_imports_only_the_standard_library_and_locked_packages(script):
    allowed = set(sys.stdlib_module_names) | locked_imports()
    imported = set()
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." if node.level else node.module.split(".")[0])
    assert imported <= allowed, f"{script.name} imports {sorted(imported - allowed)}"


def notebook_differences(notebook: str, script: str) -> list[str]:
    """How a notebook's code cells differ from the script's code cells (``# %%``), in order."""
    held = [c["source"] for c in nbformat.reads(notebook, 4).cells if c["cell_type"] == "code"]
    wanted = [c.source for c in split(script) if c.kind == "code"]
    found = [f"{len(held)} code cells in the notebook, {len(wanted)} in the script"
             ] if len(held) != len(wanted) else []
    for number, (a, b) in enumerate(zip(held, wanted), 1):
        if a != b:
            pairs = enumerate(zip_longest(a.splitlines(), b.splitlines(), fillvalue="<nothing>"), 1)
            line, x, y = next(((n, x, y) for n, (x, y) in pairs if x != y),
                              ("ends", a[-40:], b[-40:]))  # only line endings differ
            found.append(f"code cell {number} differs at its line {line}: the notebook has\n"
                         f"    {x!r}\n  the script has\n    {y!r}")
    return found


def run_alone(source: str, name: str, folder: Path) -> str | None:
    """Run ``source`` as ``name`` alone in ``folder``; None if it exits cleanly and gives the
    build's values and printed numbers again, else why not."""
    folder.mkdir()
    (folder / name).write_text(source)
    shim = folder.parent / f"{folder.name}-shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(ENVIRONMENT, **backends.environment(), PYTHONPATH=str(shim), RUNDOCS_PROJECT=str(ROOT),
               RUNDOCS_VALUES=str(shim / "v.json"))
    done = subprocess.run([sys.executable, name], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=900)
    if done.returncode:
        return f"{name} exited with {done.returncode}:\n{done.stderr[-2000:]}"
    found = differences(Path(name).stem, as_printed(latest(Path(name).stem).data), {
        "values": json.loads((shim / "v.json").read_text()),
        "cells": [{"outputs": [["stdout", done.stdout]]}]}, ("in the build's run", "as downloaded"))
    if found:
        return (f"{name} ran, but not as the build's run did (`make check-reproducible` "
                "compares the same way):\n" + "\n".join(found[:20]))
    return None


def as_printed(result: dict) -> dict:
    """A run's values, and everything it printed to stdout as one cell: what a plain run of the
    script shows."""
    printed = "".join(text for cell in result["cells"] for stream, text in cell["outputs"]
                      if stream == "stdout")
    return {"values": result["values"], "cells": [{"outputs": [["stdout", printed]]}]}


@pytest.fixture(scope="session")
def downloaded_runs(request, sites, tmp_path_factory):
    """Every selected example's downloaded script, each run alone, several at once:
    {name: None if it exited cleanly, else why not}."""
    names = [item.callspec.params["script"].stem for item in request.session.items
             if getattr(item, "originalname", "") == "test_the_downloaded_script_runs_alone"]
    served, scratch = sites["mkdocs"] / "examples", tmp_path_factory.mktemp("downloads")
    jobs = [((served / f"{name}.py").read_text(), f"{name}.py", scratch / name) for name in names]
    with ThreadPoolExecutor(2) as pool:
        return dict(zip(names, pool.map(lambda job: run_alone(*job), jobs), strict=True))


@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_the_downloaded_script_runs_alone(script, downloaded_runs):
    failure = downloaded_runs[script.stem]
    assert failure is None, f"the downloaded {failure}"


@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_the_downloaded_notebook_holds_the_scripts_code(script, sites):
    served = sites["mkdocs"] / "examples"
    found = notebook_differences((served / f"{script.stem}.ipynb").read_text(),
                                 (served / f"{script.stem}.py").read_text())
    assert not found, f"examples/{script.stem}.ipynb is not the script:\n" + "\n".join(found)


def test_a_notebook_whose_code_differs_from_the_script_is_caught():
    script = "# %% a\nx = 1\n\n# %% [markdown]\n# Text.\n\n# %% b\nprint(x)\n"
    code = [c.source for c in split(script) if c.kind == "code"]
    assert code == ["x = 1", "print(x)"]

    def notebook(*sources):
        cells = [nbformat.v4.new_markdown_cell("links")]
        cells += [nbformat.v4.new_code_cell(source) for source in sources]
        return nbformat.writes(nbformat.v4.new_notebook(cells=cells))

    assert notebook_differences(notebook(*code), script) == []
    found = notebook_differences(notebook("x = 2", "print(x)"), script)
    assert len(found) == 1 and found[0].startswith("code cell 1 differs at its line 1")
    assert "'x = 2'" in found[0] and "'x = 1'" in found[0]
    found = notebook_differences(notebook("x = 1"), script)
    assert found == ["1 code cells in the notebook, 2 in the script"]


def test_a_download_that_gives_other_values_is_caught(tmp_path):
    """The comparison that makes the download run CI's reproducibility check can fail."""
    source = (ROOT / "examples" / "pitfalls_tape.py").read_text()
    found = run_alone(source + "\nerror_type = 'another'\nprint('one more line')\n",
                      "pitfalls_tape.py", tmp_path / "run")
    assert found and "not as the build's run did" in found
    assert "value error_type: RuntimeError in the build's run, another as downloaded" in found
    assert "one more line" in found
