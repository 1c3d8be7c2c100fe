"""Bring runs up to date and publish them beside the pages: what ``make runs`` does."""

from pathlib import Path

from rundocs.errors import RunError
from rundocs.project import PUBLISHED
from rundocs.publish import figures, outputs
from rundocs.publish.notebook import publish
from rundocs.run.cells import backends
from rundocs.store.merge import export
from rundocs.store.results import latest
from rundocs.store.runner import examples, run_all


def update(scripts: list[Path], jobs: int, force: bool = False, publishing: bool = True,
           part: tuple[int, int] | None = None, exporting: Path | None = None) -> None:
    """Run what is stale among ``scripts``, then publish their views, downloads and figures.

    With ``part`` = (K, N), only share K of N of the runs, and nothing is published (the
    other shares' runs are not here): :func:`rundocs.store.runner.shard`. With ``exporting``, the
    runs made or found are also copied into that folder, a store of their own.

    Raises RunError, naming every example that failed; what ran before it stays published.
    """
    failed = None
    try:
        outcomes = run_all(scripts, jobs, force, part)
    except RunError as error:  # publish every example that did run, then say what failed
        failed = error
    if publishing and not part:
        broken = getattr(failed, "failed", {s.stem for s in scripts}) if failed else set()
        publish_runs([s for s in scripts if s.stem not in broken], complete=not failed)
    if failed is not None:
        raise failed
    if exporting:
        export([o.name for o in outcomes], exporting)


def publish_runs(scripts: list[Path], complete: bool) -> None:
    """Publish the runs of ``scripts``; prune figures and long outputs only when ``complete``
    (all published)."""
    drawn = set()
    for script in scripts:
        drawn |= publish(latest(script.stem))
        for backend in backends(script.read_text()):  # figures and outputs of its other
            run = latest(f"{script.stem}@{backend}")  # back-ends, which pages may quote
            drawn |= figures.publish(run) | outputs.publish(run)
    current = {p.stem for p in examples()}
    for page in PUBLISHED.glob("*.md"):
        if page.stem not in current:  # an example that was deleted or renamed
            for suffix in (".py", ".ipynb", ".md"):
                page.with_suffix(suffix).unlink(missing_ok=True)
    if complete and {p.stem for p in scripts} == current:  # every current figure published
        figures.prune(drawn)
