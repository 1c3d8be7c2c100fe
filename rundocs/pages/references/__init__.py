"""One renderer per kind of ``{{ ... }}`` reference a page may hold, each in its own module:

* :mod:`.code`: ``source:``, ``output:`` and ``notebook:`` (the whole run as a notebook view);
* :mod:`.figure`: ``figure:`` with its ``alt:``, ``caption:`` and ``chart:`` lines;
* :mod:`.run`: ``run:``, where a run came from, one click behind the lesson;
* :mod:`.tables`: ``table:``, ``timings``, ``claims`` and ``versions``;
* :mod:`.values`: ``{{ NAME.VALUE:FORMAT }}`` and ``{{ minutes: PAGE.md }}`` inside a line;
* :mod:`.check`: ``check:``, which shows nothing and fails the build when its sentence is false.

A renderer takes the :class:`Page` being rendered and the reference, and returns Markdown
lines; :mod:`rundocs.pages.markdown` finds the references and hands each to its renderer.
"""

import re

from rundocs.project import RUN_LINE_HELP
from rundocs.store.results import Run, latest

BLOCK = re.compile(
    r"^(?P<indent>\s*)\{\{\s*(?:(?P<kind>source|output|figure|run|table|check|notebook):\s*"
    r"(?P<ref>[^}]+?)|(?P<summary>timings|claims|versions))\s*\}\}\s*$"
)
INLINE = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]\w*(?:@[\w-]+)?)\.(?P<path>[\w.\[\]-]+?)\s*"
                    r"(?::(?P<spec>[^}]*?))?\s*\}\}")
MINUTES = re.compile(r"\{\{\s*minutes:\s*(?P<page>[\w/-]+\.md)\s*\}\}")


def what_the_run_line_says(path: str = "") -> str:
    """`` · [what this line says](PAGE)``: the link from a run's provenance line to the page
    that explains its terms (``path`` leads from the page to the pages' top), if the project
    names one."""
    return f" · [what this line says]({path}{RUN_LINE_HELP})" if RUN_LINE_HELP else ""


class Page:
    """What the renderers of one page share: the runs it read (each read once), how many
    figures it has shown (the first loads at once, the rest lazily), and whether a long block
    folds (not where a block of the page frames it)."""

    def __init__(self):
        self.runs: dict = {}
        self.figures_shown = 0
        self.fold = True

    def run_of(self, name: str) -> Run:
        run = latest(name)
        return self.runs.setdefault(run.folder, run)
