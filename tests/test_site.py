"""The whole site builds strictly, with MkDocs and with Zensical, from the same runs."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rundocs import ROOT

pytestmark = pytest.mark.site
DOCS = ROOT / "docs"


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


@pytest.fixture(scope="module")
def sites():
    """The site built by MkDocs (strict) and by Zensical, as {builder: site folder}."""
    tmp = ROOT / "build" / "test-sites"  # Zensical writes only inside the project
    built = {}
    for builder, command in (("mkdocs", ["mkdocs", "build", "--strict", "--quiet"]),
                             ("zensical", ["zensical", "build", "--strict"])):
        result = build(*command, config_file=config(tmp, builder))
        assert result.returncode == 0, f"{builder} build failed:\n{result.stdout}{result.stderr}"
        built[builder] = tmp / builder
    return built


def pages() -> list[str]:
    """Every Markdown page, as the path of its built HTML."""
    return [str(p.relative_to(DOCS).with_suffix("")).removesuffix("index") + "index.html"
            if p.stem == "index" else f"{p.relative_to(DOCS).with_suffix('')}/index.html"
            for p in sorted(DOCS.rglob("*.md"))]


def runs_shown(html: str) -> list[str]:
    """The outputs and figures a page shows, in order."""
    blocks = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', html)
    texts = re.findall(r"Ran with [^<]+", html)
    return blocks + texts


@pytest.mark.parametrize("page", pages())
def test_both_builders_show_the_same_runs_with_no_template_left(sites, page):
    mkdocs_html = (sites["mkdocs"] / page).read_text()
    zensical_html = (sites["zensical"] / page).read_text()
    for html in (mkdocs_html, zensical_html):
        assert not re.search(r"\{\{.*?\}\}", html), f"unreplaced template text in {page}"
    assert runs_shown(mkdocs_html) == runs_shown(zensical_html)


def test_each_example_has_a_notebook_view_and_downloads(sites):
    for script in sorted((ROOT / "examples").glob("*.py")):
        if "# %%" not in script.read_text():
            continue
        name = script.stem
        assert (sites["mkdocs"] / "examples" / name / "index.html").exists()
        assert (sites["mkdocs"] / "examples" / f"{name}.py").read_text() == script.read_text()
        assert (sites["mkdocs"] / "examples" / name / f"{name}.ipynb").exists()


def test_the_experiment_page_shows_the_real_run(sites, run_of):
    html = (sites["mkdocs"] / "experiment/index.html").read_text()
    run = run_of("mnist_experiment")
    assert f"{run.value('test_accuracy'):.1%}" in html
    assert "Epoch 5/5" in html
    assert html.count('class="rundocs-figure"') == 3


def test_a_page_referring_to_nothing_fails_the_build_naming_page_and_reference(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Broken\n\nAccuracy: {{ mnist_experiment.no_such_value }}\n")
    settings = config(tmp_path, "broken", docs_dir=str(docs), nav=["index.md"],
                      plugins=["search"])
    result = build("mkdocs", "build", "--strict", config_file=settings)
    assert result.returncode != 0
    assert "index.md" in result.stderr
    assert "mnist_experiment.py has no value 'no_such_value'" in result.stderr
