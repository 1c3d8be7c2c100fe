"""The whole site builds strictly, with MkDocs and with Zensical, from the same runs."""

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser

import nbformat
import pytest
import yaml

from rundocs.project import ROOT, RUNS
from rundocs.store.runner import examples
from tests.conftest import build, config

pytestmark = pytest.mark.site
DOCS = ROOT / "docs"


def pages() -> list[str]:
    """Every Markdown page, as the path of its built HTML."""
    return [str(p.relative_to(DOCS).with_suffix("")).removesuffix("index") + "index.html"
            if p.stem == "index" else f"{p.relative_to(DOCS).with_suffix('')}/index.html"
            for p in sorted(DOCS.rglob("*.md"))]


def runs_shown(html: str) -> list[str]:
    """The figures and provenance lines a page shows, in order."""
    figures = re.findall(r'src="[^"]*figures/([^"/]+\.png)"', html)
    texts = re.findall(r"Ran with [^<]+", html)
    return figures + texts


@pytest.mark.parametrize("page", pages())
def test_both_builders_show_the_same_runs_with_no_template_left(sites, page):
    mkdocs_html = (sites["mkdocs"] / page).read_text()
    zensical_html = (sites["zensical"] / page).read_text()
    for html in (mkdocs_html, zensical_html):
        assert not re.search(r"\{\{.*?\}\}", html), f"unreplaced template text in {page}"
    assert runs_shown(mkdocs_html) == runs_shown(zensical_html)


class ReaderText(HTMLParser):
    """The text a reader sees in a page's article, outside code."""

    SKIPPED = {"pre", "code", "script", "style", "svg", "textarea"}
    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.inside, self.skipping, self.text = False, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.inside = True
        elif self.skipping and tag not in self.VOID:
            self.skipping.append(tag)
        elif tag in self.SKIPPED:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False
        elif self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if self.inside and not self.skipping:
            self.text.append(data)


RAW_MARKDOWN = re.compile(
    r"```|~~~|^\s*///|^\s*#{1,6} \S|\{\{|\}\}|\{%|^\s*(?:!!!|\?\?\?\+?) ?[a-z]|^\s*\{:?\s*\.[\w-]+"
    r"|\braises=", re.MULTILINE)


def raw_markdown(html: str) -> list[str]:
    """Lines of reader-visible text that are Markdown or template syntax left unrendered."""
    parser = ReaderText()
    parser.feed(html)
    lines = "".join(parser.text).splitlines()
    return [line.strip() for line in lines if RAW_MARKDOWN.search(line)]


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_no_raw_markdown_reaches_the_reader(sites, builder):
    leftovers = {}
    for page in sorted(sites[builder].rglob("*.html")):
        found = raw_markdown(page.read_text())
        if found:
            leftovers[str(page.relative_to(sites[builder]))] = found[:3]
    assert not leftovers, f"{builder}: raw Markdown in rendered text: {leftovers}"


@pytest.mark.parametrize("text", ["```python raises=\"RuntimeError\"", "## A heading",
                                  "{{ output: x }}", '!!! note "Title"', "??? example",
                                  "/// caption"])
def test_the_raw_markdown_detector_catches(text):
    assert raw_markdown(f"<article><p>{text}</p></article>")


def test_the_raw_markdown_detector_ignores_code():
    assert not raw_markdown("<article><pre><code>## comment\n```</code></pre>"
                            "<p>Use <code>{{ x }}</code> here.</p></article>")


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_each_example_has_a_notebook_view_and_downloads_under_both_builders(sites, builder):
    for script in examples():
        name, site = script.stem, sites[builder]
        view = (site / "examples" / name / "index.html").read_text()
        assert "Ran with" in view and view.count("In [") >= 2, f"{name}'s view shows no cells"
        assert (site / "examples" / f"{name}.py").read_text() == script.read_text()
        nbformat.validate(nbformat.reads((site / "examples" / f"{name}.ipynb").read_text(), 4))


def test_every_example_offers_colab_source_and_downloads_that_point_at_real_files(sites):
    from rundocs.publish.notebook import links

    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    site_url, repo_url = settings["site_url"], settings["repo_url"]
    owner_and_repo = repo_url.removeprefix("https://github.com/")
    site = sites["mkdocs"]
    offered = {}  # (example, label) -> the files the built pages' links lead to
    for page in site.rglob("index.html"):
        for href, label in re.findall(r'<a href="([^"]+)">(Download (?:script|notebook))</a>',
                                      page.read_text()):
            assert "://" not in href, f"{page}: {label} leads off the site being served: {href}"
            target = (page.parent / href).resolve()
            offered.setdefault((target.stem, label), set()).add(target)
    for script in examples():
        name = script.stem
        notebook = f"examples/{name}.ipynb"
        assert links(name) == {  # in the notebook, opened in Colab or a laptop: the hosted site
            "Run in Google Colab":
                f"https://colab.research.google.com/github/{owner_and_repo}/blob/notebooks/{notebook}",
            "View source on GitHub": f"{repo_url}/blob/main/examples/{name}.py",
            "Download script": f"{site_url}examples/{name}.py",
            "Download notebook": f"{site_url}{notebook}",
        }
        assert (site / notebook).exists()  # what the notebooks branch holds for Colab
        assert offered[(name, "Download script")] == {(site / f"examples/{name}.py").resolve()}
        assert offered[(name, "Download notebook")] == {(site / notebook).resolve()}
        assert (site / f"examples/{name}.py").read_text() == script.read_text()
        view = (site / f"examples/{name}/index.html").read_text()
        for label in ("Run in Google Colab", "View source on GitHub"):
            anchor = f'<a href="{links(name)[label]}">{label}</a>'
            assert anchor in view, f"the notebook view of {name} lacks {label}"


PAGE_LIMIT, SITE_LIMIT = 200_000, 13_000_000  # bytes: a page's HTML, and the whole site


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_pages_are_light(sites, builder):
    site = sites[builder]
    heavy = {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*.html")
             if p.stat().st_size > PAGE_LIMIT}
    assert not heavy, f"{builder}: pages over {PAGE_LIMIT:,} bytes: {heavy}"
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total <= SITE_LIMIT, f"{builder}: the site is {total:,} bytes"
    inline = [str(p.relative_to(site)) for p in site.rglob("*.html")
              if 'src="data:image/png;base64' in p.read_text() or p.read_text().count("<style") > 1]
    assert not inline, f"{builder}: inlined figures or stylesheets in {inline}"


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_listings_leave_plain_names_unwrapped_and_colour_the_rest(sites, builder):
    """rundocs/pages/highlight.py: a name is plain text, a builtin or keyword keeps its span."""
    html = (sites[builder] / "experiment/index.html").read_text()
    listing = re.search(r'<code[^>]*>(?:(?!</code>).)*class="nf">flatten<.*?</code>', html, re.S)[0]
    assert '<span class="n">' not in listing
    assert "reshape" in listing and '<span class="k">def</span>' in listing


def test_the_plain_names_filter_changes_only_plain_names():
    from pygments import lex
    from pygments.lexers import PythonLexer
    from pygments.token import Name, Text

    tokens = list(lex("print(model)\n", PythonLexer(filters=["rundocs-plain-names"])))
    assert (Name.Builtin, "print") in tokens and (Text, "model") in tokens
    assert Name not in {token for token, _ in tokens}


CHART_DATA_LIMIT = 150_000  # bytes of one interactive figure's spec with its data


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_interactive_figures_are_light_files_sharing_one_script(sites, builder):
    site, found = sites[builder], []
    for page in sorted(site.rglob("*.html")):
        for figure in re.findall(r'<figure class="rundocs-figure">(.*?)</figure>', page.read_text(),
                                 re.S):
            marker = re.search(r'<span class="rundocs-chart" data-spec="([^"]+)" '
                               r'data-library="([^"]+)"', figure)
            if marker:
                image = re.search(r'<img [^>]*src="([^"]+)"', figure)[1]
                folder = (page.parent / image).resolve().parent
                found.append((page.relative_to(site), folder / marker[1], folder / marker[2]))
    assert len(found) >= 4, f"{builder}: only {len(found)} interactive figures"
    problems = []
    for page, spec, library in found:
        if not spec.exists() or spec.stat().st_size > CHART_DATA_LIMIT:
            problems.append(f"{page}: {spec.name} missing or over {CHART_DATA_LIMIT:,} bytes")
        if not spec.with_name(spec.name.replace(".vl.json", ".csv")).exists():
            problems.append(f"{page}: no CSV beside {spec.name}")
        if not library.exists():
            problems.append(f"{page}: the script {library.name} is missing")
    assert len({library for _, _, library in found}) == 1, "the pages must share one script"
    assert not problems, "\n".join(problems)


OWN_SCRIPTS = {"charts.js": 12_000}  # bytes: each page's own scripts


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_pages_load_only_the_theme_and_the_small_chart_loader(sites, builder):
    """The 900 KB chart script is never a page's own script: charts.js fetches it when a chart
    comes near the screen (tests/test_browser.py proves when)."""
    site, problems = sites[builder], []
    for page in sorted(site.rglob("*.html")):
        for source in re.findall(r'<script[^>]* src="([^"]+)"', page.read_text()):
            name = source.rsplit("/", 1)[-1]
            if not (re.fullmatch(r"bundle\.\w+\.min\.js", name) or name in OWN_SCRIPTS):
                problems.append(f"{page.relative_to(site)} loads {source}")
    assert not problems, "\n".join(problems[:10])
    for name, limit in OWN_SCRIPTS.items():
        assert (site / "javascripts" / name).stat().st_size <= limit, name


def figures_in(html: str) -> list[dict]:
    """Every figure of a page: its image's attributes and its caption's text."""
    found = []
    for figure in re.findall(r'<figure class="rundocs-figure">(.*?)</figure>', html, re.S):
        image = re.search(r"<img ([^>]*)>", figure)
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', image[1])) if image else {}
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
        found.append({**attributes, "caption": re.sub(r"<[^>]+>|\s+", " ", caption[1]).strip()
                      if caption else ""})
    return found


def test_every_figure_is_a_sized_file_with_a_caption_and_alt_text_that_is_not_its_title(sites):
    from rundocs.store.results import latest

    titles = {title for script in examples()
              for title in latest(script.stem).data["figures"].values()}
    problems, count = [], 0
    for page in sorted(sites["mkdocs"].rglob("*.html")):
        html, where = page.read_text(), str(page.relative_to(sites["mkdocs"]))
        if "rundocs-figure" not in html:
            continue
        for figure in figures_in(html):
            count += 1
            file = page.parent / figure.get("src", "missing")
            if not file.is_file():
                problems.append(f"{where}: no file behind {figure.get('src')}")
            elif (figure.get("width"), figure.get("height")) != tuple(
                    str(n) for n in struct.unpack(">II", file.read_bytes()[16:24])):
                problems.append(f"{where}: {figure['src']} is not sized as its PNG")
            if figure.get("alt", "").strip() in titles | {""}:
                problems.append(f"{where}: {figure.get('src')} has its title for alt text")
            if len(figure["caption"]) < 20:
                problems.append(f"{where}: {figure.get('src')} has no real caption")
            if figure.get("loading") not in ("lazy", "eager"):
                problems.append(f"{where}: {figure.get('src')} says nothing about loading")
    assert count >= 30 and not problems, "\n".join(problems) or f"only {count} figures"


def test_the_experiment_page_shows_the_real_run(sites, run_of):
    html = (sites["mkdocs"] / "experiment/index.html").read_text()
    run = run_of("mnist_experiment")
    assert f"{run.value('test_accuracy'):.1%}" in html
    assert "Epoch 5/5" in html
    figures = (ROOT / "docs" / "experiment.md").read_text().count("{{ figure:")
    assert html.count('class="rundocs-figure"') == figures == 3
    further = (sites["mkdocs"] / "mnist-further/index.html").read_text()  # its seeds, further
    assert f"{run_of('mnist_seeds').value('accuracy_median'):.1%}" in further


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
    assert "Traceback" not in result.stderr


def test_serve_rebuilds_a_prose_edit_without_running_any_example(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    port = free_port()
    root = f"http://127.0.0.1:{port}/"  # site_url's path would move the pages under /site/
    settings = config(tmp_path, "served", docs_dir=str(docs), site_url=root)
    page = f"{root}pitfalls/"
    store_before = stored()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(settings),
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        wait_for(page, lambda html: "Pitfalls" in html, log)
        with open(docs / "pitfalls.md", "a") as source:
            source.write("\nA sentence added while serving.\n")
        wait_for(page, lambda html: "A sentence added while serving." in html, log)
    finally:
        server.terminate()
        server.wait(30)
        settings.unlink()
    assert stored() == store_before  # nothing ran, nothing was re-stored


def test_serve_reruns_a_saved_example_and_keeps_the_last_good_page_on_a_failure(tmp_path):
    """`make serve` (``python -m rundocs serve``) in a copy of the project, edited as an author."""
    project = tmp_path / "project"
    for part in ("docs", "examples", "rundocs", "overrides", "locks", "build/runs"):
        shutil.copytree(ROOT / part, project / part, symlinks=True)
    for part in ("requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / part, project / part)
    (project / "data").symlink_to(ROOT / "data")
    port = free_port()
    root = f"http://127.0.0.1:{port}/"
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    (project / "mkdocs.yml").write_text(yaml.safe_dump({**settings, "site_url": root}))
    example, page = project / "examples" / "pitfalls_tape.py", f"{root}examples/pitfalls_tape/"
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "rundocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        wait_for(page, lambda html: "Ran with" in html, log)
        with open(example, "a") as source:
            source.write('\n\n# %% edited\nprint("printed by an edit made while serving")\n')
        wait_for(page, lambda html: "printed by an edit made while serving" in html, log)
        with open(example, "a") as source:
            source.write('\n\n# %% broken\nraise RuntimeError("broken on purpose")\n')
        deadline = time.monotonic() + 120
        while "the pages keep showing the last good run" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.5)
        html = urllib.request.urlopen(page, timeout=10).read().decode()
        assert "printed by an edit made while serving" in html
    finally:
        server.terminate()
        server.wait(30)
    text = log.read_text()
    assert "RuntimeError: broken on purpose" in text  # the traceback, in the terminal
    assert "ran pitfalls_tape" in text and "the script changed" in text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stored() -> dict[str, int]:
    """Every file in the run store with its modification time."""
    return {str(p): p.stat().st_mtime_ns for p in RUNS.rglob("*")}


def wait_for(url: str, ready, log, wait: float = 120) -> None:
    """Poll ``url`` until ``ready(html)`` holds; fail after ``wait`` seconds, showing ``log``."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                html = response.read().decode()
            if ready(html):
                return
        except OSError:
            pass  # not serving yet
        time.sleep(0.5)
    tail = "\n".join(log.read_text().splitlines()[-20:])
    pytest.fail(f"{url} did not show the expected page within {wait:.0f}s; server log:\n{tail}")


def test_a_listing_wider_than_a_phone_is_focusable_and_no_listing_is_searched():
    import markdown

    from rundocs.pages.listings import PHONE_COLUMNS
    from rundocs.pages.markdown import RunsExtension

    wide, narrow = "x = " + "1 + " * PHONE_COLUMNS + "1", "x = 1"
    html = markdown.Markdown(extensions=[RunsExtension(), "pymdownx.superfences",
                                         "pymdownx.highlight"]).convert(
        f"```python\n{wide}\n```\n\n```python\n{narrow}\n```\n")
    codes = re.findall(r"<code[^>]*>", html)
    assert codes == ['<code tabindex="0">', "<code>"], codes
    assert html.count("<pre data-search-exclude") == 2  # listings stay out of the search index
