"""Long outputs: shortened on the page, published whole as plain text beside it.

A page holds what it quotes in its own HTML, and every reader loads it (a lesson page's
text is in the search index too). So an output block longer than :data:`MAX_LINES` lines or
:data:`MAX_CHARS` characters shows its first and last lines, says how much it left out, and
links the whole text, published as ``docs/examples/figures/NAME-output-HASH.txt``: named by
its content like the figures beside it, written whole or not at all, and pruned with them
once no current run printed it. The downloadable notebook keeps every output whole.
"""

import hashlib
from dataclasses import dataclass

from rundocs.errors import RunError
from rundocs.project import shown
from rundocs.publish import figures
from rundocs.store.results import Run

MAX_LINES = 400  # an output block longer than this, in lines or in characters, is shortened
MAX_CHARS = 20_000
HEAD_LINES, HEAD_CHARS = 300, 15_000  # what a shortened block shows of its start
TAIL_LINES, TAIL_CHARS = 20, 3_000  # and of its end: together well under the bound, so
# something is always left out between them


def line_count(text: str) -> int:
    return text.count("\n") + (not text.endswith("\n"))


def too_long(text: str) -> bool:
    return len(text) > MAX_CHARS or line_count(text) > MAX_LINES


@dataclass
class Shortened:
    """What a page shows of a long output: its start and its end, and what lies between."""

    head: str
    left_out: str
    tail: str

    @property
    def text(self) -> str:
        """Head and tail, with a line between them saying how much was left out."""
        lines = self.left_out.count("\n")
        size = (f"{lines:,} lines, " if lines else "") + f"{len(self.left_out):,} characters"
        return self.head.removesuffix("\n") + f"\n[… {size} left out here …]\n" + self.tail


def shortened(text: str) -> Shortened:
    """The first and last lines of a :func:`too_long` ``text``, within the characters a page
    shows; a cut falls at a line's end unless that line alone is longer than the bound."""
    head_end = min(HEAD_CHARS, after_lines(text, HEAD_LINES))
    if text[head_end - 1] != "\n" and "\n" in text[:head_end]:
        head_end = text.rindex("\n", 0, head_end) + 1
    tail_start = max(len(text) - TAIL_CHARS, last_lines(text, TAIL_LINES))
    if text[tail_start - 1] != "\n" and "\n" in text[tail_start:-1]:
        tail_start = text.index("\n", tail_start, len(text) - 1) + 1
    return Shortened(text[:head_end], text[head_end:tail_start], text[tail_start:])


def after_lines(text: str, number: int) -> int:
    """Where the first ``number`` lines of ``text`` end (its length, if it has no more)."""
    at = 0
    for _ in range(number):
        at = text.find("\n", at) + 1
        if not at:
            return len(text)
    return at


def last_lines(text: str, number: int) -> int:
    """Where the last ``number`` lines of ``text`` start (0, if it has no more)."""
    at = len(text) - text.endswith("\n")
    for _ in range(number):
        at = text.rfind("\n", 0, at)
        if at < 0:
            return 0
    return at + 1


def file_name(run: Run, text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return f"{run.name.replace('@', '-')}-output-{digest}.txt"


def quotable(run: Run) -> list[str]:
    """Every output of ``run`` a page may quote: the whole run's, and each code cell's."""
    return [run.output(), *("".join(text for _, text in cell["outputs"])
                            for cell in run.data["cells"] if cell["kind"] == "code")]


def publish(run: Run) -> set[str]:
    """Write every output of ``run`` too long to quote whole; return their file names."""
    figures.FOLDER.mkdir(parents=True, exist_ok=True)
    names = set()
    for text in filter(too_long, quotable(run)):
        name = file_name(run, text)
        figures.write_once(figures.FOLDER / name, text.encode())
        names.add(name)
    return names


def published(run: Run, text: str) -> str:
    """The file name of the whole ``text`` under ``docs/examples/figures``; RunError if it is
    not there."""
    name = file_name(run, text)
    if not (figures.FOLDER / name).exists():
        raise RunError(f"the whole output of {run.where} is not published in "
                       f"{shown(figures.FOLDER)}: run `make runs` "
                       f"(or `python -m rundocs run {run.example}`)")
    return name
