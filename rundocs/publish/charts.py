"""Interactive figures: each Altair chart a run left, as files beside the pages.

A chart's Vega-Lite spec goes to ``docs/examples/figures/NAME-CHART-HASH.vl.json``, and the
data behind it to a CSV file of the same name, for readers who want the numbers. The
JavaScript that draws the charts (Vega, Vega-Lite and Vega-Embed in one file, from the locked
``vl-convert-python``) is written once, as ``vega-embed-VERSION.js``, so every page shares
one cached copy and nothing is fetched from another host.
"""

import csv
import hashlib
import io
import json

from rundocs.errors import RunError
from rundocs.project import shown
from rundocs.publish import figures
from rundocs.store.results import Run

VEGA_LITE = "6.4"  # the Vega-Lite version Altair writes (its SCHEMA_VERSION), and the bundle's


def library() -> str:
    """The shared script's file name under ``docs/examples/figures``."""
    import vl_convert

    return f"vega-embed-{vl_convert.__version__}-vl{VEGA_LITE}.js"


def file_stem(run: Run, chart: str) -> str:
    digest = hashlib.sha256(run.chart_spec(chart)).hexdigest()[:10]
    return f"{run.name.replace('@', '-')}-{chart}-{digest}"


def datasets(spec: dict) -> list[list[dict]]:
    """The chart's tables of data: Altair gathers inline tables under ``datasets``."""
    return list(spec.get("datasets", {}).values())


def rows(spec: dict) -> list[dict]:
    """All rows of all the chart's tables, one after the other."""
    return [row for table in datasets(spec) for row in table]


def table_with(spec: dict, *columns: str) -> list[dict]:
    """The rows of the chart's table that has all ``columns``; RunError if none has them."""
    for table in datasets(spec):
        if table and set(columns) <= set(table[0]):
            return table
    raise RunError(f"no table of the chart has the columns {', '.join(columns)}")


def load(run: Run, chart: str) -> dict:
    """The chart's Vega-Lite spec as a dict."""
    return json.loads(run.chart_spec(chart))


def as_csv(spec: dict) -> str:
    table = rows(spec)
    columns = list(dict.fromkeys(k for row in table for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue()


def published(run: Run, chart: str) -> str:
    """The chart's file stem under ``docs/examples/figures``; RunError if it is not there."""
    stem = file_stem(run, chart)
    if not all((figures.FOLDER / name).exists() for name in (f"{stem}.vl.json", library())):
        raise RunError(f"the chart {run.name}/{chart} is not published in "
                       f"{shown(figures.FOLDER)}:"
                       f" run `make runs` (or `python -m rundocs run {run.example}`)")
    return stem


def publish(run: Run) -> set[str]:
    """Write every chart of ``run`` (spec and CSV) and the shared script; return file names."""
    charts = run.data.get("charts", [])
    if not charts:
        return set()
    figures.FOLDER.mkdir(parents=True, exist_ok=True)
    names = {library()}
    if not (figures.FOLDER / library()).exists():  # bundling takes a second or two: once
        import vl_convert

        bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE)
        figures.write_once(figures.FOLDER / library(), bundle.encode())
    for chart in charts:
        stem, spec = file_stem(run, chart), run.chart_spec(chart)
        figures.write_once(figures.FOLDER / f"{stem}.vl.json", spec)
        figures.write_once(figures.FOLDER / f"{stem}.csv", as_csv(json.loads(spec)).encode())
        names |= {f"{stem}.vl.json", f"{stem}.csv"}
    return names
