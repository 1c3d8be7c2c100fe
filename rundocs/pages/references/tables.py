"""``{{ table: NAME.VALUE }}``, and the tables over every example: ``{{ timings }}``,
``{{ claims }}`` and ``{{ versions }}``."""

from rundocs.axes.tensorflow.versions import CHECKED
from rundocs.errors import RunError
from rundocs.pages.references import Page
from rundocs.pages.text import Markup, table
from rundocs.project import EXAMPLES, LESSONS, LINKED, shown
from rundocs.store import checked
from rundocs.store.runner import examples


def value_table(page: Page, ref: str) -> list[str]:
    """A run value that is a list of dicts, one row each; a ``claims`` table links the other
    runs that bear on each claim (a column left out where none does)."""
    name, _, path = ref.partition(".")
    rows = page.run_of(name).value(path)
    if path == "claims" and isinstance(rows, list) and all(isinstance(c, dict) for c in rows):
        rows = [page_claim_row(c) for c in rows]
        if not any(row["see also"] for row in rows):
            rows = [{k: v for k, v in row.items() if k != "see also"} for row in rows]
    return table(rows, ref)


def timings(page: Page) -> list[str]:
    """Every example's run time and peak memory, from the runs the site shows."""
    rows = []
    for script in examples():
        run = page.run_of(script.stem)
        rows.append({"example": link(script.stem),
                     "CPU time (s)": f"{run.data['cpu_seconds']:.1f}",
                     "wall time (s)": f"{run.data['wall_seconds']:.1f}",
                     "runs at once": run.data["concurrent_runs"],
                     "peak memory (MB)": f"{run.data['peak_memory_mb']:.0f}",
                     "source": run.key[:8]})
    return table(rows, "timings")


def claims(page: Page) -> list[str]:
    """Every example's ``claims`` (the source material's claims, measured), in one table."""
    rows = []
    for script in examples():
        run = page.run_of(script.stem)
        rows += [claim_row(claim, link(script.stem)) for claim in run.values.get("claims", [])]
    return table(rows, "claims")


def versions(page: Page) -> list[str]:
    """Per example: its claims and page checks, and on each other TensorFlow release whether
    they all came out as on the locked one (:mod:`rundocs.store.checked`)."""
    del page  # the record, not the runs
    if not CHECKED:
        raise RunError("{{ versions }} shows what check-versions found on other TensorFlow "
                       "releases, and this project checks none (the TensorFlow kit's `checked`)")
    record = checked.load()
    releases = {c: d for c, d in record.get("releases", {}).items() if c != "default"}
    if not releases:
        raise RunError(f"{shown(checked.RECORD)} records no version check: run "
                       "`make check-versions`")
    rows = []
    for script in examples():
        found = checked.status(script.stem)
        row = {"example": link(script.stem),
               "claims, page checks": (f"{found['claims']}, {found['checks']}"
                                       if "claims" in found else "–")}
        for description in releases.values():
            label = f"on {description}"
            if not found["current"]:
                row[label] = "not checked since it changed"
            elif found["differ"]:
                row[label] = f"{len(found['differ'])} differ"
            else:
                row[label] = "all the same"
        rows.append(row)
    return table(rows, "versions")


def link(name: str) -> Markup:
    return Markup(f"[{name}]({LINKED}/{name}.md)")


def also_links(claim: dict) -> list[str]:
    """Links to the notebook views of the other runs that bear on ``claim`` (its ``also``)."""
    for name in claim.get("also", []):
        if not (EXAMPLES / f"{name}.py").exists():
            raise RunError(f"claim {claim.get('claim')!r} names a run that does not exist: "
                           f"{LESSONS}/{name}.py")
    return [f"[{name}]({LINKED}/{name}.md)" for name in claim.get("also", [])]


def claim_row(claim: dict, link: str) -> dict:
    """A ledger row: the claim, and every run that bears on it (``also``: other examples)."""
    row = {key: value for key, value in claim.items() if key != "also"}
    return {**row, "runs": Markup(", ".join([link, *also_links(claim)]))}


def page_claim_row(claim: dict) -> dict:
    """A row of a page's own claims table: the other runs that bear on it as links."""
    row = {key: value for key, value in claim.items() if key != "also"}
    return {**row, "see also": Markup(", ".join(also_links(claim)))}
