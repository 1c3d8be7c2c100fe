"""Shared fixtures: runs of the real examples, the built sites, a sandbox for the engine."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rundocs.project import ROOT
from rundocs.store import cache, results
from rundocs.store.results import latest
from rundocs.store.runner import run_one


@pytest.fixture(scope="session")
def run_of():
    """The stored run of an example, executing it first only if its source has no run yet."""

    def get(name):
        """``NAME``, or ``NAME@BACKEND`` for the example's run under another back-end."""
        from rundocs.project import EXAMPLES

        example, _, backend = name.partition("@")
        run_one(EXAMPLES / f"{example}.py", backend=backend or None)
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

    write.runs = tmp_path / "runs"
    return write


@pytest.fixture
def cli_sandbox(sandbox, tmp_path, monkeypatch):
    """The sandbox, seen by ``python -m rundocs run`` too, publishing into the test's folder."""
    import rundocs.__main__ as cli
    from rundocs.publish import figures, notebook, update
    from rundocs.store import merge, runner

    examples = tmp_path / "examples"
    for module in (cli, runner, merge):
        monkeypatch.setattr(module, "EXAMPLES", examples)
    monkeypatch.setattr(notebook, "PUBLISHED", tmp_path / "published")
    monkeypatch.setattr(update, "PUBLISHED", tmp_path / "published")
    monkeypatch.setattr(figures, "FOLDER", tmp_path / "published" / "figures")
    return sandbox


def config(tmp: Path, name: str, **overrides) -> Path:
    """A copy of mkdocs.yml that builds into ``tmp/name``, cleaned first.

    It lies in the project root, beside mkdocs.yml, as Zensical requires; ``build`` removes it.
    """
    shutil.rmtree(tmp / name, ignore_errors=True)
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    settings.update(site_dir=str(tmp / name), **overrides)
    path = ROOT / f".build-{name}.yml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    return path


def build(*command, config_file: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-m", *command, "-f", str(config_file)],
                              cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    finally:
        config_file.unlink()


@pytest.fixture(scope="session")
def sites():
    """The site built by MkDocs (strict) and by Zensical, as {builder: site folder}."""
    tmp = ROOT / "build" / "test-sites"  # Zensical writes only inside the project
    built = {}
    for builder, command in (("mkdocs", ["mkdocs", "build", "--strict", "--quiet"]),
                             # Zensical caches pages by their Markdown source alone, so a page
                             # whose run changed would be served stale without --clean.
                             ("zensical", ["zensical", "build", "--strict", "--clean"])):
        result = build(*command, config_file=config(tmp, builder))
        assert result.returncode == 0, f"{builder} build failed:\n{result.stdout}{result.stderr}"
        built[builder] = tmp / builder
    return built
