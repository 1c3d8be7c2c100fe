"""``{{ NAME.VALUE:FORMAT }}`` and ``{{ minutes: PAGE.md }}``: a run's value, or a page's
reading time, quoted inside a line of text."""

import math
import re

from rundocs.errors import RunError
from rundocs.pages import reading
from rundocs.pages.references import INLINE, MINUTES, Page
from rundocs.pages.text import CODE_SPAN, escaped, formatted
from rundocs.project import PAGES


def raw(page: Page, match: re.Match) -> str:
    """A run value as text, for places that escape it themselves (alt text)."""
    value = page.run_of(match["name"]).value(match["path"])
    try:
        return formatted(value, match["spec"])
    except (TypeError, ValueError) as error:
        raise RunError(f"cannot format {match[0]} ({value!r}): {error}") from None


def inline(page: Page, match: re.Match) -> str:
    """A run value quoted in a page, HTML-escaped: a value is text, never markup."""
    return escaped(raw(page, match))


def quote(page: Page, line: str) -> str:
    """``line`` with its values quoted: escaped, except in code spans (Markdown escapes
    those itself, so an escaped value there would show its entities)."""
    line = MINUTES.sub(minutes, line)
    pieces, last = [], 0
    for span in CODE_SPAN.finditer(line):
        pieces += [INLINE.sub(lambda m: inline(page, m), line[last:span.start()]),
                   code_span(page, span)]
        last = span.end()
    return "".join([*pieces, INLINE.sub(lambda m: inline(page, m), line[last:])])


def code_span(page: Page, span: re.Match) -> str:
    """A code span with its values as they are, on one line, between more backticks than
    any run of them in it, so no value ends the span early."""
    ticks = span[1]
    if not INLINE.search(span[0]):
        return span[0]
    text = " ".join(INLINE.sub(lambda m: raw(page, m),
                               span[0][len(ticks):-len(ticks)]).splitlines())
    ticks = "`" * max([len(ticks), *(len(found) + 1 for found in re.findall(r"`+", text))])
    if text.startswith("`") or text.endswith("`"):  # a space parts them from the fence
        text = f" {text} "
    return ticks + text + ticks


def minutes(match: re.Match) -> str:
    """A page's reading time, whole minutes rounded up."""
    page = match["page"]
    if not (PAGES / page).is_file():
        raise RunError(f"{{{{ minutes: {page} }}}} names no page of {PAGES.name}/")
    if page in reading.MEASURING:  # the page quotes its own time: the words stand in
        return "a few min"
    return f"{math.ceil(reading.minutes(reading.rendered(page)))} min"
