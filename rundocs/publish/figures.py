"""Figures as files beside the pages, each named by its content.

A page shows a figure as ``<img>`` pointing at ``docs/examples/figures/NAME-FIGURE-HASH.png``,
so the browser caches it, loads it lazily and reserves its space (width and height come from
the PNG), and a changed figure gets a new name and is never served stale.
"""

import hashlib
import math
import struct
from pathlib import Path

from rundocs.errors import RunError
from rundocs.project import PUBLISHED, shown
from rundocs.store.results import Run

FOLDER = PUBLISHED / "figures"


def file_name(run: Run, figure: str) -> str:
    digest = hashlib.sha256(run.figure_png(figure)).hexdigest()[:10]
    return f"{run.name.replace('@', '-')}-{figure}-{digest}.png"


def size(run: Run, figure: str) -> tuple[int, int]:
    """The PNG's width and height in pixels, read from its header."""
    return struct.unpack(">II", run.figure_png(figure)[16:24])


LEGIBLE_PX = 9  # the smallest text a page may show, in CSS pixels
PHONE_COLUMN = 358  # CSS pixels of text column on a 390 px phone


def text_px(run: Run, figure: str) -> float | None:
    """The height in PNG pixels of the figure's smallest text, as the run recorded it."""
    return run.data.get("figure_text_px", {}).get(figure)


def legible_width(run: Run, figure: str) -> int:
    """The narrowest width, in CSS pixels, at which the figure's smallest text is still
    ``LEGIBLE_PX`` tall (0 where the run did not record its text)."""
    text = text_px(run, figure)
    if not text:
        return 0
    return math.ceil(size(run, figure)[0] * LEGIBLE_PX / text)


def published(run: Run, figure: str) -> str:
    """The figure's file name under ``docs/examples/figures``; RunError if it is not there."""
    name = file_name(run, figure)
    if not (FOLDER / name).exists():
        raise RunError(f"the figure {run.name}/{figure} is not published in "
                       f"{shown(FOLDER)}: "
                       f"run `make runs` (or `python -m rundocs run {run.example}`)")
    return name


def write_once(target: Path, content: bytes) -> None:
    """Write a content-named file unless it is there, whole (staged, then renamed).

    One that is there with other bytes (overwritten or damaged since) is written again.
    """
    try:
        if target.stat().st_size == len(content) and target.read_bytes() == content:
            return
    except FileNotFoundError:
        pass
    staged = target.with_name(f".{target.name}.tmp")
    staged.write_bytes(content)
    staged.replace(target)


def publish(run: Run) -> set[str]:
    """Write every figure of ``run`` that is not there yet; return their file names."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    names = set()
    for figure in run.data["figures"]:
        name = file_name(run, figure)
        write_once(FOLDER / name, run.figure_png(figure))
        names.add(name)
    return names


def prune(keep: set[str]) -> None:
    """Delete figure, chart and output files no current run made (older versions, deleted
    examples)."""
    for path in FOLDER.glob("*"):
        if path.is_file() and not path.name.startswith(".") and path.name not in keep:
            path.unlink(missing_ok=True)
