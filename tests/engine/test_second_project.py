"""The engine serves a docs project other than this site: three files in an empty folder.

What this test does is what the README's "Use the engine in another project" section tells an
author to do: write ``mkdocs.yml`` naming the extension, a page quoting a run and a check, and
an example using NumPy only; then ``python -m rundocs run`` and ``python -m rundocs build``.
Nothing new is installed, and nothing of this site (TensorFlow, MNIST, oneDNN) is switched on.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """\
site_name: Hello
markdown_extensions:
  - pymdownx.superfences
  - admonition
  - pymdownx.details
  - rundocs.pages.markdown
"""
PAGE = """\
# Hello

{{ output: hello }}

The mean of the three numbers is {{ hello.mean }}.

{{ check: hello.mean == 2 }}
"""
EXAMPLE = """\
# %% [markdown]
# The mean of three numbers.

# %%
import numpy as np

values = np.array([1.0, 2.0, 3.0])
mean = float(values.mean())
print(f"mean of {values.tolist()}: {mean}")
"""


@pytest.fixture
def project(tmp_path):
    """The three files, in a folder outside this checkout."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "examples").mkdir()
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    (tmp_path / "examples" / "hello.py").write_text(EXAMPLE)
    return tmp_path


def rundocs(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNDOCS_")}
    return subprocess.run([sys.executable, "-m", "rundocs", *arguments], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_a_three_file_project_builds_with_the_engine(project, builder):
    ran = rundocs(project, "run")
    assert ran.returncode == 0, ran.stderr
    assert (project / "build" / "runs" / "hello").is_dir()  # the project's store, not ours
    built = rundocs(project, "build", "--builder", builder)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "index.html").read_text()
    assert "mean of [1.0, 2.0, 3.0]: 2.0" in page  # the run's output
    assert "The mean of the three numbers is 2." in page  # a value quoted in a sentence
    assert "{{" not in page
    assert "oneDNN" not in page and "MNIST" not in page  # the TensorFlow kit is off
    assert (project / "docs" / "examples" / "hello.ipynb").is_file()  # its download


def test_a_false_check_fails_the_build_with_its_message(project):
    (project / "docs" / "index.md").write_text(PAGE.replace("== 2", "== 3"))
    assert rundocs(project, "run").returncode == 0
    built = rundocs(project, "build")
    assert built.returncode != 0
    assert "the run contradicts the paragraph this check guards" in built.stdout + built.stderr
    assert "The mean of the three numbers is" in built.stdout + built.stderr
    assert not (project / "site").exists()  # nothing half-built is left as the site


def test_a_changed_example_runs_again(project):
    assert rundocs(project, "run").returncode == 0
    (project / "examples" / "hello.py").write_text(EXAMPLE.replace("3.0]", "5.0]"))
    ran = rundocs(project, "run")
    assert ran.returncode == 0, ran.stderr
    page = PAGE.replace("== 2", "> 2.6")
    (project / "docs" / "index.md").write_text(page)
    built = rundocs(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "mean of [1.0, 2.0, 5.0]: 2.6666666666666665" in (
        project / "site" / "index.html").read_text()
