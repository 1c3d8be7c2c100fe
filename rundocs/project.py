"""The project the engine works for, and where its files live: its settings, not constants.

A project is the folder ``RUNDOCS_PROJECT`` names, or else the nearest folder at or above the
working directory that holds a ``pyproject.toml`` with a ``[tool.rundocs]`` table or an
``mkdocs.yml``. Its ``[tool.rundocs]`` table may set, each relative to the project:

* ``examples``: the lessons, one script each (default ``examples``; ``RUNDOCS_EXAMPLES`` wins);
* ``pages``: the hand-written pages (default ``docs``);
* ``published``: where the build writes notebook views, figures and downloads (default
  ``docs/examples``);
* ``runs``: the run store (default ``build/runs``; ``RUNDOCS_RUNS`` wins);
* ``build``: the engine's other files: the back-ends' and seeds' stores, the releases'
  environments, reports (default ``build``);
* ``lock``: the file that pins the packages every run is made with; it is part of every run's
  key (default ``requirements.lock``; without one, the installed packages' names and versions
  are);
* ``config``: the MkDocs configuration (default ``mkdocs.yml``);
* ``branch`` and ``notebooks_branch``: the repository's branch of the sources (default
  ``main``), and the one holding the published notebooks, which Colab opens (default: none,
  and no Colab link);
* ``run_line_help``: the page (and anchor) of the pages that explains the provenance line
  under every run, linked from it (default: no link);
* ``audit``: pages ``make audit`` scores beside those it picks itself (default: none);
* ``tensorflow``: a table that switches on the TensorFlow kit (:mod:`rundocs.axes.tensorflow`):
  oneDNN's back-ends, other TensorFlow releases (``releases``: the folder of their locks, and
  ``checked``: those ``make check-versions`` runs) and MNIST served offline (``mnist``: the
  verified copy). Without it, a run has one back-end and no other release.

This module reads them once; every other module takes its paths from here.
"""

import os
import tomllib
from pathlib import Path


def _settings(folder: Path) -> dict | None:
    """``[tool.rundocs]`` of ``folder``'s pyproject.toml, or None where it has none."""
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return None
    with pyproject.open("rb") as file:
        return tomllib.load(file).get("tool", {}).get("rundocs")


def _find() -> Path:
    """The project's folder (see the module's docstring)."""
    if os.environ.get("RUNDOCS_PROJECT"):
        return Path(os.environ["RUNDOCS_PROJECT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _settings(folder) is not None or (folder / "mkdocs.yml").is_file():
            return folder
    return here


ROOT = _find()
SETTINGS: dict = _settings(ROOT) or {}


def shown(path: Path) -> str:
    """``path`` as a message names it: from the project's root where it lies inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _path(name: str, default: str, variable: str | None = None) -> Path:
    """The setting ``name`` as a path inside the project (``variable`` from the environment
    wins)."""
    if variable and os.environ.get(variable):
        return Path(os.environ[variable]).absolute()
    return (ROOT / SETTINGS.get(name, default)).absolute()


EXAMPLES = _path("examples", "examples", "RUNDOCS_EXAMPLES")  # the lessons
PAGES = _path("pages", "docs")  # hand-written pages; notebook views go to PUBLISHED
PUBLISHED = _path("published", "docs/examples")
BUILD = _path("build", "build")  # the engine's own files: other stores, reports, environments
RUNS = _path("runs", "build/runs", "RUNDOCS_RUNS")  # the run store
LOCK_FILE = _path("lock", "requirements.lock")  # need not exist (see cache.inputs)
CONFIG = _path("config", "mkdocs.yml")
# How messages and pages name the lessons' folder (``examples/NAME.py``), where it lies in the
# project's repository, and the published folder as the pages link to it.
LESSONS = EXAMPLES.name
SOURCE = EXAMPLES.relative_to(ROOT).as_posix() if EXAMPLES.is_relative_to(ROOT) else LESSONS
LINKED = PUBLISHED.relative_to(PAGES).as_posix() if PUBLISHED.is_relative_to(PAGES) \
    else PUBLISHED.name
UP = "../" * len(Path(LINKED).parts)  # from a published page back to the pages' top
# The repository's branches a notebook links to: its sources, and the published notebooks that
# Colab opens (no Colab link without one).
BRANCH: str = SETTINGS.get("branch", "main")
NOTEBOOKS_BRANCH: str | None = SETTINGS.get("notebooks_branch")
RUN_LINE_HELP: str | None = SETTINGS.get("run_line_help")
AUDIT: list[str] = SETTINGS.get("audit", [])
# The kit's settings; None: switched off (a table switches it on, even an empty one).
TENSORFLOW: dict | None = SETTINGS.get("tensorflow") if isinstance(SETTINGS.get("tensorflow"),
                                                                 dict) else None
