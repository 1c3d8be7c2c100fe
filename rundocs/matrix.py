"""``make check-backends``: every example under every numeric back-end, every claim checked.

Each back-end of :data:`rundocs.backends.BACKENDS` (skipping one whose kernels on this CPU are
those of a back-end already run) runs every example from scratch into its own run store,
``build/backends/NAME``. Then every page check (``{{ check: ... }}``) and every example's
``claims`` verdict is read from each store. It prints one table, example x back-end, marking
the rows that differ, writes it to ``build/backends.json``, and fails if a page check is false
on any back-end or a claim's verdict differs between back-ends.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rundocs import ROOT, backends, cache, checks
from rundocs.errors import RunError
from rundocs.markdown import BLOCK
from rundocs.results import latest
from rundocs.runner import examples

STORES = ROOT / "build" / "backends"
REPORT = ROOT / "build" / "backends.json"


def page_checks() -> list[tuple[str, str]]:
    """Every ``{{ check: ... }}`` of every page, as (``page.md:line``, expression)."""
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for number, line in enumerate(page.read_text().splitlines(), 1):
            match = BLOCK.match(line)
            if match and match["kind"] == "check":
                found.append((f"{page.relative_to(ROOT / 'docs')}:{number}", match["ref"]))
    return found


def chosen() -> list[str]:
    """The back-ends to run: one per distinct set of kernels on this machine."""
    seen, names = set(), []
    for name in backends.BACKENDS:
        kernels = backends.fingerprint(name)["kernels"]
        if kernels in seen:
            print(f"skipping {name}: on this CPU it gives the same kernels ({kernels})")
            continue
        seen.add(kernels)
        names.append(name)
    return names


def run_under(backend: str) -> Path:
    """Run every example from scratch under ``backend`` into a store of its own."""
    store = STORES / backend
    shutil.rmtree(store, ignore_errors=True)
    env = {**os.environ, **backends.BACKENDS[backend][0], "RUNDOCS_RUNS": str(store)}
    print(f"\n== {backend}: {backends.describe(backends.fingerprint(backend))}", flush=True)
    status = subprocess.call([sys.executable, "-m", "rundocs", "run", "--no-publish"],
                             env=env, cwd=ROOT)
    if status:
        raise RunError(f"examples failed under the back-end {backend}; see above")
    return store


def verdicts(backend: str, store: Path) -> dict[str, str]:
    """Every claim verdict and page check outcome read from ``store``, by row label."""
    saved = dict(os.environ), cache.RUNS
    os.environ.update(backends.BACKENDS[backend][0])  # run keys include these settings
    cache.RUNS = store
    try:
        rows = {}
        for script in examples():
            for number, claim in enumerate(latest(script.stem).values.get("claims", [])):
                rows[f"{script.stem} claim {number + 1}: {claim['claim'][:60]}"] = claim["verdict"]
        for where, expression in page_checks():
            try:
                holds, read = checks.evaluate(expression, lambda n, p: latest(n).value(p))
                rows[f"{where} check: {expression}"] = "true" if holds else (
                    "FALSE (" + "; ".join(f"{k} = {str(v)[:40]}" for k, v in read.items()) + ")")
            except RunError as error:
                rows[f"{where} check: {expression}"] = f"ERROR ({error})"
        return rows
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        cache.RUNS = saved[1]


def main() -> int:
    names = chosen()
    table = {}
    try:
        for name in names:
            table[name] = verdicts(name, run_under(name))
    except RunError as error:
        print(f"rundocs: {error}", file=sys.stderr)
        return 1
    rows = list(table[names[0]])
    differ = [r for r in rows if len({table[n].get(r) for n in names}) > 1]
    false = [r for r in rows if " check: " in r and any(table[n][r] != "true" for n in names)]
    width = min(90, max(len(r) for r in rows))
    print("\n" + " " * (width + 3) + "".join(f"{n:>12}" for n in names))
    for row in rows:
        mark = "≠" if row in differ else " "
        cells = "".join(f"{table[n].get(row, '-').split(' (')[0][:11]:>12}" for n in names)
        label = row if len(row) <= width else row[:width - 1] + "…"
        print(f"{mark} {label:<{width}} {cells}")
    REPORT.write_text(json.dumps({"backends": {n: backends.fingerprint(n) for n in names},
                                  "rows": table, "differ": differ, "false": false}, indent=1))
    claims = [r for r in rows if " claim " in r]
    print(f"\n{len(names)} back-ends; {len(claims)} claims and {len(rows) - len(claims)} page "
          f"checks; {len(differ)} differ between back-ends; {len(false)} checks not true "
          f"everywhere (table in {REPORT.relative_to(ROOT)})")
    for row in false:
        print(f"FAILED {row}: " + "; ".join(f"{n}: {table[n][row]}" for n in names))
    for row in differ:
        if row not in false:
            print(f"DIFFERS {row}: " + ", ".join(f"{n}: {table[n][row]}" for n in names))
    return 1 if false or differ else 0


if __name__ == "__main__":
    sys.exit(main())
