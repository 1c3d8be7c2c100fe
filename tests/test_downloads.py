"""Every example runs as a reader gets it: the built site's script or notebook, alone.

Each downloaded file is copied alone into an empty folder and run there with the locked
packages and nothing of the project on the path. MNIST reaches Keras' loader the way it does
in the engine (:mod:`rundocs.offline`), installed by a ``sitecustomize`` module that then takes
the project off the path again.
"""

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rundocs import LOCK_FILE, ROOT
from rundocs.runner import examples

pytestmark = pytest.mark.site
SITECUSTOMIZE = f"""\
import sys
sys.path.insert(0, {str(ROOT)!r})
from rundocs import offline
offline.install()  # keras.datasets.mnist.load_data answers from the project's verified copy
sys.path.remove({str(ROOT)!r})
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


def code_of(notebook: Path) -> str:
    """A notebook's code cells, in order, as one script (what "Run all" executes)."""
    cells = json.loads(notebook.read_text())["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def run_alone(source: str, name: str, folder: Path) -> str | None:
    """Run ``source`` as ``name`` alone in ``folder``; None if it exits cleanly, else why not."""
    folder.mkdir()
    (folder / name).write_text(source)
    shim = folder.parent / f"{folder.name}-shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(shim), MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, name], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=900)
    if done.returncode:
        return f"{name} exited with {done.returncode}:\n{done.stderr[-2000:]}"
    return None


def test_every_downloaded_script_and_notebook_runs_alone(sites, tmp_path):
    served = sites["mkdocs"] / "examples"
    jobs = []
    for script in examples():
        name = script.stem
        jobs.append(((served / f"{name}.py").read_text(), f"{name}.py", tmp_path / f"{name}-py"))
        notebook = served / f"{name}.ipynb"
        jobs.append((code_of(notebook), f"{name}_notebook.py", tmp_path / f"{name}-ipynb"))
    with ThreadPoolExecutor(2) as pool:
        failures = [f for f in pool.map(lambda job: run_alone(*job), jobs) if f]
    assert not failures, "\n\n".join(failures)
    assert len(jobs) == 2 * len(examples())
