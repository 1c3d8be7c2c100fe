"""``{{ figure: NAME/FIGURE }}``, then ``alt:``, ``caption:`` and optionally ``chart:`` lines:
a figure the run drew, as a published file beside the page, with its text alternative and
caption, and the Altair chart that replaces it where scripts run."""

import html
import re
from functools import cache

from rundocs.errors import RunError
from rundocs.pages.references import BLOCK, INLINE, Page, values
from rundocs.pages.text import escaped
from rundocs.project import LINKED, PAGES, UP
from rundocs.publish import charts, figures
from rundocs.store.results import Run

FIGURE_TEXT = re.compile(r"^\s*(?P<part>alt|caption|chart):\s*(?P<text>.*)$")


def figure(page: Page, ref: str, alt: str | None, caption: str | None,
           folder: str = f"{LINKED}/", chart: str | None = None) -> list[str]:
    """A figure file with its alt text and caption; ``folder`` leads from the page to it."""
    name, _, drawn = ref.partition("/")
    run = page.run_of(name)
    file = figures.published(run, drawn)
    if not (alt and caption):
        raise RunError("a figure needs an `alt:` line (what it shows, with the run's "
                       "values) and a `caption:` line (what to look at) right under it")
    width, height = figures.size(run, drawn)
    legible = figures.legible_width(run, drawn)
    loading = "eager" if page.figures_shown == 0 else "lazy"
    page.figures_shown += 1
    alt = html.escape(alt).replace("[", "&#91;").replace("]", "&#93;")
    interactive = ""
    if chart:
        stem = charts.published(run, chart)
        interactive = (f'<span class="rundocs-chart" data-spec="{stem}.vl.json" '  # beside
                       f'data-library="{charts.library()}" hidden></span>')  # the image
        caption += f" Data behind the interactive figure: [CSV]({folder}figures/{stem}.csv)."
    # Never drawn narrower than where its smallest text is legible: on a phone a wide
    # figure scrolls sideways instead, and a tap opens it whole.
    at_least = f' style="min-width: {legible}px"' if legible > figures.PHONE_COLUMN else ""
    text = figures.text_px(run, drawn)
    at_least += f' data-text-px="{text}"' if text else ""  # for the legibility test
    return [  # Markdown, not HTML, so it also works indented (in a folded block)
        f'[![{alt}]({folder}figures/{file}){{ width="{width}" height="{height}" '
        f'loading="{loading}"{at_least} }}]({folder}figures/{file}){interactive}',
        "",
        "/// caption",  # pymdownx.blocks.caption wraps image and caption in <figure>
        "    attrs: {class: rundocs-figure}",
        caption,
        "///",
    ]


def written(page: Page, ref: str, after: list[str]) -> tuple[list[str], int]:
    """The figure a page's reference names, with the lines under it that describe it; and
    how many of the lines ``after`` it those were."""
    texts, used = lines_under(after)
    texts = {part: INLINE.sub((lambda m: values.raw(page, m)) if part == "alt"
                              else (lambda m: values.inline(page, m)), text)
             for part, text in texts.items()}  # alt text is escaped by ``figure``
    return figure(page, ref, texts.get("alt"), texts.get("caption"),
                  chart=texts.get("chart")), used


def texts_for(page: Page, run: Run, drawn: str) -> tuple[str, str]:
    """The alt text and caption a page gives this figure, with the run's values in them."""
    found = first_texts().get(f"{run.name}/{drawn}")
    if found is None:
        title = run.data["figures"][drawn]  # alt text is escaped by ``figure``
        return (f"Figure drawn by this cell: {title}",
                f"{escaped(title)}. No page discusses this figure.")
    alt, caption, where = found
    return (INLINE.sub(lambda m: values.raw(page, m), alt),
            INLINE.sub(lambda m: values.inline(page, m), caption)
            + f" (Explained on the page {where}.)")


def lines_under(after: list[str]) -> tuple[dict[str, str], int]:
    """The ``alt:`` and ``caption:`` lines at the start of ``after``, and how many there were."""
    texts, used = {}, 0
    while used < len(after) and (part := FIGURE_TEXT.match(after[used])):
        texts[part["part"]] = part["text"].strip()
        used += 1
    return texts, used


@cache
def _first_texts(stamp: tuple) -> dict[str, tuple[str, str, str]]:
    found = {}
    for page in sorted(PAGES.glob("*.md")):
        lines = page.read_text().splitlines()
        title = next((x[2:].strip() for x in lines if x.startswith("# ")), page.stem)
        for number, line in enumerate(lines):
            match = BLOCK.match(line)
            if match and match["kind"] == "figure":
                parts = lines_under(lines[number + 1:])[0]
                found.setdefault(match["ref"].strip(), (parts.get("alt", ""),
                                                        parts.get("caption", ""),
                                                        f"[{title}]({UP}{page.name})"))
    return found


def first_texts() -> dict[str, tuple[str, str, str]]:
    """``NAME/FIGURE`` -> (alt, caption, link to its page), from the first page showing it."""
    return _first_texts(tuple((p.name, p.stat().st_mtime_ns) for p in PAGES.glob("*.md")))
