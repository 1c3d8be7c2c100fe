"""The Markdown extension that puts real runs into pages.

It reads stored runs and never executes anything, so it works under any builder that runs
Python-Markdown extensions (MkDocs, Zensical). In a page:

``{{ source: NAME }}`` or ``{{ source: NAME:CELL }}``
    the example's code, read from ``examples/NAME.py`` (whole file, or one ``# %% CELL``);
``{{ output: NAME }}`` or ``{{ output: NAME:CELL }}``
    what it printed;
``{{ figure: NAME/FIGURE }}``, then lines ``alt: ...`` and ``caption: ...``
    a matplotlib figure it drew (``plt.figure("FIGURE")``), as a file beside the page, with a
    text alternative that states what it shows (with the run's values) and a caption that
    says what to look at; both may quote values (``{{ NAME.VALUE }}``). Needs the
    ``attr_list`` and ``pymdownx.blocks.caption`` extensions. An optional third line
    ``chart: CHART`` names an Altair chart of the same run: where scripts run,
    ``javascripts/charts.js`` draws it in place of the image, which stays as the figure
    without JavaScript; the caption links the chart's data as CSV;
``{{ notebook: NAME }}``
    the whole run, cell by cell with outputs and figures (the generated notebook view);
``{{ run: NAME }}``
    where the output came from (versions, seed, time, memory, source hash) and downloads;
``{{ table: NAME.VALUE }}``
    a table from a value that is a list of dicts (one row each, keys as columns);
``{{ timings }}``
    every example's run time and peak memory, from the runs the site shows;
``{{ claims }}``
    every example's ``claims`` (the source material's claims, measured), in one table;
``{{ versions }}``
    for every example, what ``make check-versions`` found on the other TensorFlow releases
    (:mod:`rundocs.store.checked`), or that the example changed since;
``{{ NAME.VALUE:FORMAT }}``, inline
    a top-level value of the script, e.g. ``{{ mnist_experiment.test_accuracy:.1% }}``;
``{{ minutes: PAGE.md }}``, inline
    how long page ``PAGE.md`` of ``docs/`` takes to read, as the build renders it
    (:mod:`rundocs.pages.reading`), e.g. ``14 min``;
``{{ check: EXPR }}``
    nothing, if EXPR holds on the run (see :mod:`rundocs.pages.checks`); put it after the paragraph
    whose sentence it guards. If it does not hold, the build fails quoting that sentence.

``NAME@BACKEND`` in place of ``NAME`` refers to the example's run under another back-end
(one it asks for with ``# rundocs: backends=...``). A reference to anything the run did not
produce raises :class:`RunError` naming it.

This module finds the references and hands each to its renderer in
:mod:`rundocs.pages.references`, one module per kind.
"""

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

from rundocs.errors import RunError
from rundocs.pages.listings import KeyboardListings
from rundocs.pages.references import (
    BLOCK,
    INLINE,
    MINUTES,
    Page,
    check,
    code,
    figure,
    run,
    tables,
    values,
)
from rundocs.project import PAGES

LEFTOVER = re.compile(r"\{\{.*?\}\}")
# What each block reference is rendered by: kind -> renderer(page, reference).
BLOCKS = {"source": code.source, "output": code.printed, "notebook": code.notebook,
          "run": run.proof, "table": tables.value_table}
SUMMARIES = {"timings": tables.timings, "claims": tables.claims, "versions": tables.versions}


class RunsPreprocessor(Preprocessor):
    """Replace ``{{ ... }}`` references with the content of the runs they name."""

    def expand(self, page: Page, line: str, before: list[str],
               after: list[str]) -> tuple[list[str], int]:
        """The lines that replace ``line``, and how many of the lines ``after`` it they used."""
        match = BLOCK.match(line)
        if match is None:
            # Looked for in what the author wrote: a value may print "{{ ... }}" as text.
            leftover = LEFTOVER.search(MINUTES.sub("", INLINE.sub("", line)))
            if leftover:
                raise RunError(
                    f"unrecognised reference {leftover[0]} (a source, output, figure or run "
                    "reference stands on a line of its own; a value is {{ NAME.VALUE:FORMAT }})"
                )
            return [values.quote(page, line)], 0
        used = 0
        if match["kind"] == "check":
            return check.check(page, match["ref"], before), 0
        if match["kind"] == "figure":
            rows, used = figure.written(page, match["ref"], after)
        elif match["summary"]:
            rows = SUMMARIES[match["summary"]](page)
        else:
            page.fold = not match["indent"]  # an indented reference is framed by its block
            rows = BLOCKS[match["kind"]](page, match["ref"])
        return [match["indent"] + part for part in ["", *rows, ""]], used

    def run(self, lines: list[str]) -> list[str]:
        out, number, page = [], 0, Page()
        while number < len(lines):
            line = lines[number]
            try:
                expanded, used = self.expand(page, line, out, lines[number + 1:])
            except RunError as error:
                raise RunError(f"line {number + 1 + front_matter(lines)}: {line.strip()}\n"
                               f"  {error}") from None
            out += expanded
            number += 1 + used
        return out


def front_matter(lines: list[str]) -> int:
    """How many lines of front matter the builder took off the page ``lines`` came from, so
    that an error names the line in the file (0 if no page with front matter holds them)."""
    blank = next((i for i, line in enumerate(lines) if line), len(lines))  # leading blanks
    text = "\n".join(lines[blank:])
    if not text.strip():
        return 0
    for page in sorted(PAGES.rglob("*.md")):
        source = page.read_text()
        if source.startswith("---") and (found := source.find(text)) > 0:
            return source[:found].count("\n") - blank
    return 0


class RunsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(RunsPreprocessor(md), "rundocs", 33)
        # after the raw HTML (highlighted code among it) is put back, at priority 30
        md.postprocessors.register(KeyboardListings(md), "rundocs-keyboard", 5)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return RunsExtension(**kwargs)
