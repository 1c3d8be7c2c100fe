"""Run values and printed text as a page's Markdown shows them: escaped, formatted, fenced,
folded and tabulated. Every renderer of :mod:`rundocs.pages.references` writes through here."""

import html
import re

from rundocs.errors import RunError
from rundocs.project import LINKED
from rundocs.publish import outputs
from rundocs.store.results import Run

CODE_SPAN = re.compile(r"(`+).+?\1")
MARKDOWN_SYNTAX = re.compile(r"[\\`*_{}\[\]()#+\-.!|]")  # a backslash makes each plain text
FOLD_LINES = 15  # a listing or output longer than this is folded, its title saying how long


class Markup(str):
    """Markdown the engine wrote (a link to a run), which :func:`table` puts in as it is."""


def fence(text: str, language: str, title: str, fold: bool = True) -> list[str]:
    """A fenced block that no backtick run inside ``text`` can close early; folded (a closed
    ``???`` block titled with its length) when it is longer than :data:`FOLD_LINES`, unless
    ``fold`` is false (a block the page already frames, inside an admonition or answer).

    Folding also keeps long pages fast: a closed block's lines are not styled or laid out
    until the reader opens it, and highlighted listings are most of a page's elements.
    """
    ticks = "`" * max([3, *(len(m) + 1 for m in re.findall(r"`+", text))])
    body = text.rstrip("\n").splitlines()
    if len(body) <= FOLD_LINES or not fold:
        return [f'{ticks} {language} title="{title}"', *body, ticks]
    kind = "example" if language == "python" else "abstract"
    summary = f"{title} ({len(body)} lines)".replace('"', "&quot;")
    return [f'??? {kind} "{summary}"', "",
            *("    " + line if line else "" for line in [f"{ticks} {language}", *body, ticks])]


def output(run: Run, text: str, title: str, folder: str = f"{LINKED}/",
           fold: bool = True) -> list[str]:
    """A fenced block of what ``run`` printed; one too long to put in a page whole
    (:mod:`rundocs.publish.outputs`) shows its start and end, then a note linking its whole
    text (``folder`` leads from the page to the published files)."""
    if not outputs.too_long(text):
        return fence(text, "text", title, fold)
    whole = outputs.published(run, text)
    return [*fence(outputs.shortened(text).text, "text", f"{title}, shortened", fold), "",
            "The block above shows the start and the end of an output of "
            f"{outputs.line_count(text):,} lines "
            f"and {len(text):,} characters: [read the whole output as plain text]"
            f"({folder}figures/{whole})."]


def escaped(text: str) -> str:
    """A run value made safe to put into a page's text, on one line (line breaks are spaces,
    as a paragraph shows them), each code span in it a code span (the claims of examples
    quote code), and the rest :func:`plain`."""
    text, pieces, last = " ".join(text.splitlines()), [], 0
    for span in CODE_SPAN.finditer(text):  # Markdown escapes a code span's text itself
        pieces += [plain(text[last:span.start()]), span[0]]
        last = span.end()
    return "".join([*pieces, plain(text[last:])])


def plain(text: str) -> str:
    """Text shown as it is: ``& < > "`` escaped, so no markup in it is ever read as markup
    (apostrophes stay readable; they open nothing in a page's text), and every character
    Markdown reads as syntax (emphasis, links, ``{...}`` attributes, ``$`` formulas, table
    bars) backslash-escaped or, for ``$``, an entity."""
    text = MARKDOWN_SYNTAX.sub(r"\\\g<0>", text)
    return html.escape(text, quote=False).replace('"', "&quot;").replace("$", "&#36;")


def formatted(value, spec: str | None) -> str:
    """A run value as a page shows it: a list reads as words ("892, 9108"), never as Python."""
    if spec:
        return format(value, spec)
    if isinstance(value, list | tuple):
        return ", ".join(formatted(item, None) for item in value)
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def table(rows, ref: str) -> list[str]:
    """A Markdown table from a list of dicts that share their keys."""
    if not (isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)):
        raise RunError(f"{ref} is not a list of dicts, so it cannot be shown as a table")
    columns = list(rows[0])

    def cell(value):  # a run value: escaped, so markup in it is shown, never run
        return value if isinstance(value, Markup) else escaped(formatted(value, None))

    def header(column):  # "peak_memory" -> "Peak memory"; "CPU time (s)" stays as it is
        text = column.replace("_", " ")
        return cell(text[:1].upper() + text[1:])

    return [
        "| " + " | ".join(header(c) for c in columns) + " |",
        "|" + " --- |" * len(columns),
        *("| " + " | ".join(cell(row.get(c, "")) for c in columns) + " |" for row in rows),
    ]
