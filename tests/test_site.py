"""The whole site builds strictly, with MkDocs and with Zensical, from the same runs."""

import re

import pytest

from rundocs import ROOT
from tests.conftest import build, config

pytestmark = pytest.mark.site
DOCS = ROOT / "docs"


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
