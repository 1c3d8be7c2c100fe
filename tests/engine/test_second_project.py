"""The engine serves a docs project other than this site: three files in an empty folder.

It does what the README's "Use the engine in another project" section tells an author to do,
with the files that section shows (read from it): ``mkdocs.yml`` naming the extension, a page
quoting a run and a check, and an example using NumPy only; then ``python -m rundocs run`` and
``python -m rundocs build``.
Nothing new is installed, and nothing of this site (TensorFlow, MNIST, oneDNN) is switched on.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parents[2] / "README.md"
SECTION = "## Use the engine in another project"


def readme_files() -> dict[str, str]:
    """The files the README's section shows, by name: each is a line naming it in backticks,
    then a fenced block."""
    text = README.read_text().split(SECTION, 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^`([\w./]+)`:\n\n```\w*\n(.*?)^```$", text, re.M | re.S)
    return dict(found)


FILES = readme_files()
PAGE = FILES["docs/index.md"]
EXAMPLE = FILES["examples/hello.py"]


def test_the_readme_shows_the_three_files():
    assert sorted(FILES) == ["docs/index.md", "examples/hello.py", "mkdocs.yml"]
    assert "{{ check: hello.mean == 2 }}" in PAGE


@pytest.fixture
def project(tmp_path):
    """The three files, in a folder outside this checkout."""
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
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


def test_the_project_s_settings_move_every_folder(project):
    """``[tool.rundocs]`` places the lessons, pages, published files and run store; the pages
    link to the published files where they are, and messages name the lessons' folder."""
    (project / "examples").rename(project / "lessons")
    (project / "docs").rename(project / "pages")
    (project / "mkdocs.yml").write_text(FILES["mkdocs.yml"] + "docs_dir: pages\n")
    (project / "pages" / "index.md").write_text(PAGE + "\n{{ run: hello }}\n")
    (project / "pyproject.toml").write_text(
        '[tool.rundocs]\nexamples = "lessons"\npages = "pages"\npublished = "pages/runs"\n'
        'runs = "store"\n')
    assert rundocs(project, "run").returncode == 0
    assert (project / "store" / "hello").is_dir() and (project / "pages" / "runs").is_dir()
    built = rundocs(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "index.html").read_text()
    assert "The run behind this: lessons/hello.py" in page
    assert 'href="runs/hello/"' in page  # the notebook view, published under pages/runs
    assert (project / "site" / "runs" / "hello" / "index.html").is_file()
    missing = rundocs(project, "run", "nothere")
    assert missing.stderr.strip() == "rundocs: there is no example lessons/nothere.py"


def test_without_the_tensorflow_kit_nothing_offers_a_release(project):
    """The kit is off: no --tensorflow option, and the release check says why it cannot run."""
    helped = rundocs(project, "run", "--help")
    assert helped.returncode == 0 and "--tensorflow" not in helped.stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNDOCS_")}
    matrix = subprocess.run([sys.executable, "-m", "rundocs.commands.matrix", "--versions"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert matrix.returncode == 1
    assert matrix.stderr.startswith("rundocs: this project checks no other TensorFlow release")
    assert "Traceback" not in matrix.stderr
