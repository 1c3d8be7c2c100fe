"""A newcomer's path: the site reads as a course, and the proof sits one click behind it.

Measured on the built site: the menu's groups, Home's path with a reading time per step, the
first lessons short enough for one sitting, a question in each, the run's provenance folded,
"the sources" said sparingly, no raw Python value in prose, formulas typeset, the glossary's
terms, and notebook views titled by what they teach.
"""

import re

import pytest
import yaml

from rundocs.pages import reading
from rundocs.project import ROOT
from tests.test_site import ReaderText

pytestmark = pytest.mark.site
SETTINGS = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
FIRST_LESSON, LESSON_LIMIT = 12, 15  # minutes: the concept page, every page of the path


def group(title: str) -> list[str]:
    """The pages of the menu group ``title``, in order."""
    entry = next(e for e in SETTINGS["nav"] if isinstance(e, dict) and title in e)
    return [next(iter(page.values())) for page in entry[title]]


PATH = group("Start here")


def built(sites, page: str, builder: str = "mkdocs") -> str:
    folder = "" if page == "index.md" else page.removesuffix(".md") + "/"
    return (sites[builder] / folder / "index.html").read_text()


class ProseText(ReaderText):
    """The reader's text outside code and formulas (a formula's [0, 1] is not a list)."""

    SKIPPED = ReaderText.SKIPPED | {"math"}


def article_text(html: str) -> str:
    reader = ProseText()
    reader.feed(html)
    return " ".join(reader.text)


def test_the_menu_has_a_path_a_group_going_further_and_one_about_the_runs():
    groups = [next(iter(e)) for e in SETTINGS["nav"] if isinstance(e, dict)
              and isinstance(next(iter(e.values())), list)]
    assert groups == ["Start here", "Going further", "About the runs"]
    assert PATH[0] == "concept.md" and PATH[1] == "experiment.md"
    about = [page for page in group("About the runs") if isinstance(page, str)]
    assert {"claims.md", "versions.md", "timings.md"} <= set(about)
    assert not {"claims.md", "versions.md", "timings.md"} & set(PATH + group("Going further"))


def test_notebook_views_are_titled_by_what_they_teach():
    views = group("About the runs")[-1]
    titles = [next(iter(v)) for v in views]
    assert titles and not [t for t in titles if re.fullmatch(r"[a-z]+_[a-z_]+", t)]
    for view in (ROOT / "docs" / "examples").glob("*.md"):
        heading = next(line for line in view.read_text().splitlines() if line.startswith("# "))
        assert "examples/" not in heading and "_" not in heading, heading


def test_home_gives_each_step_of_the_path_in_order_with_its_reading_time(sites):
    html = built(sites, "index.md")
    rows = re.findall(r'<tr>\s*<td>\d+\. <a href="([^"]+)">.*?</td>\s*<td>.*?</td>\s*'
                      r'<td>(\d+) min</td>', html, re.DOTALL)
    assert [href.strip("./").removesuffix("/") + ".md" for href, _ in rows] == PATH
    for (_, stated), page in zip(rows, PATH):  # the time Home states is the page's, as built
        assert abs(int(stated) - reading.minutes(built(sites, page))) <= 1.5, page


def test_the_first_lesson_fits_one_sitting_and_every_step_of_the_path_fits_fifteen_minutes(
        sites):
    times = {page: reading.minutes(built(sites, page)) for page in PATH}
    assert times["concept.md"] <= FIRST_LESSON, times
    assert max(times.values()) <= LESSON_LIMIT, times
    assert sum(times[p] for p in PATH[:2]) <= 30, times


def test_reading_time_counts_what_shows_and_not_what_is_folded():
    page = ("<nav>menu words</nav><article><p>" + "word " * 150 + "</p><details><summary>The "
            "run</summary><p>" + "hidden " * 300 + "</p></details><img alt='a figure'></article>")
    assert reading.minutes(page) == pytest.approx(1 + 2 / 150 + 0.5)


@pytest.mark.parametrize("page", PATH)
def test_each_step_of_the_path_asks_a_question_the_reader_opens(sites, page):
    if page == "practice.md":  # the practice page is questions through and through
        return
    html = built(sites, page)
    assert re.search(r'<details class="question"', html), f"{page} asks the reader nothing"


@pytest.mark.parametrize("page", PATH)
def test_the_proof_is_one_click_behind_the_lesson(sites, page):
    shown = folded_away(built(sites, page))
    assert "Ran with " not in shown, f"{page} shows a run's provenance open"
    said = re.findall(r"\bsources?\b", article_text(shown), re.I)
    assert len(said) <= 3, f"{page} says 'the sources' {len(said)} times outside folded blocks"


def folded_away(html: str) -> str:
    """``html`` without the content of its closed ``<details>`` blocks (their summaries stay)."""
    return re.sub(r"(<details(?![^>]*\bopen\b)[^>]*>\s*<summary>.*?</summary>).*?</details>",
                  r"\1</details>", html, flags=re.DOTALL)


RAW_VALUE = re.compile(
    r"""\[\s*(['"])[^'"]*\1(?:\s*,\s*(['"])[^'"]*\2)*\s*\]"""  # ['CPU'], ["a", "b"]
    r"|\[\s*-?\d[\d.e+-]*(?:\s*,\s*-?\d[\d.e+-]*)+\s*\]"  # [30, 2]
    r"|\{\s*'"  # {'a': 1}
    r"|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\bKAPPA\b")  # LOSS_TOP, KAPPA


@pytest.mark.parametrize("page", PATH)
def test_no_raw_python_value_reaches_the_prose(sites, page):
    found = [m[0] for m in RAW_VALUE.finditer(article_text(built(sites, page)))]
    assert not found, f"{page}: {found}"


def test_the_raw_value_detector_catches_lists_dicts_and_constants():
    for text in ("found ['CPU']", "shape [30, 2]", "{'a': 1}", "KAPPA = 100", "LOSS_TOP"):
        assert RAW_VALUE.search(text), text
    assert not RAW_VALUE.search("a [link], [brackets] and a [0] with no comma")


def test_formulas_are_typeset_by_the_page_itself(sites):
    for builder in ("mkdocs", "zensical"):
        html = built(sites, "concept.md", builder)
        assert html.count("<math") >= 5 and "$" not in article_text(html)
        assert not re.search(r"<script[^>]+(?:katex|mathjax)", html, re.I)


def test_the_glossary_defines_the_words_a_newcomer_meets():
    headings = {line[4:].strip().lower() for line in
                (ROOT / "docs" / "glossary.md").read_text().splitlines()
                if line.startswith("### ")}
    for term in ("cross-entropy", "float32", "overfitting", "validation", "epoch", "batch",
                 "gradient", "loss", "learning rate", "logit"):
        assert term in headings, term
