"""``make check-backends``, ``make check-versions`` and ``make check-seeds``: every example under
every numeric back-end, every checked TensorFlow release, or several seeds, every claim checked.

The default back-end's runs are the build's own: its store is the build's run store
(``build/runs``, or ``RUNDOCS_RUNS``), brought up to date first as ``make runs`` does, which
runs nothing where the build's runs are current (runs are keyed by content) and runs again
whatever is missing or stale. Each other back-end of :data:`rundocs.axes.backends.BACKENDS`
(skipping one whose kernels on this CPU are those of a back-end already run) has its own run
store, ``build/backends/NAME``, brought up to date the same way: on a fresh clone every example
runs under it, and a store joined from the hosted workflow's shards (``python -m rundocs
merge``) is reused wherever its runs were made on a machine like this one. Then every page check
(``{{ check: ... }}``) and every example's ``claims`` verdict is read from each store. It prints
one table, example x back-end, marking the rows that differ, writes it to
``build/backends.json``, and fails if a page check is false on any back-end or a claim's
verdict differs between back-ends.

``python -m rundocs.commands.matrix --versions`` does the same across TensorFlow releases
(:data:`rundocs.axes.tensorflow.versions.CHECKED`, each in its own environment and store under
``build/versions/NAME``) instead of kernels, and writes ``build/versions.json``.

``python -m rundocs.commands.matrix --seeds=1,2`` does it across seeds: every example is copied with
its one ``SEED = 0`` line set to each seed (:func:`reseeded`), and each seed's copies run into a
store of their own under ``build/seeds/seedN``; it writes ``build/seeds.json``.

``--backends=onednn-off`` limits ``check-backends`` to the build's runs and that back-end
(``.ci/run`` does; the hosted workflow checks them all).

``python -m rundocs.commands.matrix NAME ...`` does the same for those examples only, and the
page checks that read nothing but their runs.
"""

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from rundocs.axes import backends
from rundocs.axes.tensorflow import versions
from rundocs.errors import RunError
from rundocs.pages import checks
from rundocs.pages.references import BLOCK
from rundocs.project import BUILD, EXAMPLES, LESSONS, PAGES, ROOT
from rundocs.run.lifetime import parent_death_signal
from rundocs.store import cache, checked, results, runner
from rundocs.store.results import latest
from rundocs.store.runner import examples

DEFAULT = next(iter(backends.BACKENDS))  # "default": the build's own kernels, lock and runs
SEEDS = (1, 2)  # `make check-seeds`: the seeds every example runs with besides its own 0
SEED_LINE = re.compile(r"^SEED = 0$", re.MULTILINE)


class Axis:
    """What a matrix varies: the kernels (``check-backends``), the TensorFlow release
    (``check-versions``) or every example's seed (``check-seeds``), with where its stores and its
    table go."""

    NOUNS = {"backends": "back-ends", "versions": "TensorFlow releases", "seeds": "seeds"}

    def __init__(self, kind: str = "backends", seeds: tuple[int, ...] = SEEDS,
                 only: tuple[str, ...] = ()):
        self.kind, self.seeds, self.only = kind, seeds, only  # only: these back-ends
        self.releases = kind == "versions"
        self.noun = self.NOUNS[kind]
        self.stores = versions.ENVIRONMENTS if self.releases else BUILD / kind
        self.report = BUILD / f"{kind}.json"

    def settings(self, column: str) -> dict[str, str]:
        """The environment a run of ``column`` reads (and is keyed by)."""
        if self.releases:
            return {versions.ACTIVE: column} if column != DEFAULT else {}
        if self.kind == "seeds":
            return {}
        return backends.BACKENDS[column][0]

    def store(self, column: str) -> Path:
        return self.stores / column / "runs" if self.kind != "backends" else self.stores / column

    def examples(self, column: str) -> Path:
        """The folder of the examples a run of ``column`` reads: the lessons themselves, or for
        another seed, copies of them with that seed."""
        return self.stores / column / "examples" if self.kind == "seeds" and column != DEFAULT \
            else EXAMPLES

    def option(self, column: str) -> list[str]:
        if self.kind == "seeds":
            return []
        return ["--tensorflow", column] if self.releases else ["--backend", column]

    def describe(self, column: str) -> str:
        if self.kind == "seeds":
            return f"every example with SEED = {seed(column)}"
        if self.releases:
            return versions.describe(None if column == DEFAULT else column)
        return backends.describe(backends.fingerprint(column))

    def facts(self, column: str) -> dict:
        if self.kind == "seeds":
            return {"seed": seed(column)}
        if self.releases:
            found = versions.pins(versions.lock(None if column == DEFAULT else column))
            return {p: found.get(p) for p in versions.PINNED}
        return backends.fingerprint(column)


def seed(column: str) -> int:
    """The seed of a column of the seed axis: ``default`` is the lessons' own ``SEED = 0``."""
    return 0 if column == DEFAULT else int(column.removeprefix("seed"))


def reseeded(folder: Path, value: int) -> Path:
    """``folder`` holding a copy of every example with its ``SEED = 0`` line set to ``value``.

    Every lesson draws its random numbers from that one line; one without it (or with two)
    cannot be varied, and the matrix says so rather than run it unchanged.
    """
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for script in sorted(EXAMPLES.glob("*.py")):
        text = script.read_text(encoding="utf-8")
        found = SEED_LINE.findall(text)
        if "# %%" in text and len(found) != 1:
            raise RunError(f"{LESSONS}/{script.name} has {len(found)} lines `SEED = 0`, not one: "
                           "the seed matrix sets that line, so write the seed there once")
        wanted[script.name] = SEED_LINE.sub(f"SEED = {value}", text)
    for stale in folder.glob("*.py"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        copy = folder / name
        if not copy.exists() or copy.read_text(encoding="utf-8") != text:
            copy.write_text(text, encoding="utf-8")
    return folder


KERNELS = Axis()


def page_checks() -> list[tuple[str, str]]:
    """Every ``{{ check: ... }}`` of every page, as (``page.md:line``, expression)."""
    found = []
    for page in sorted(PAGES.rglob("*.md")):
        for number, line in enumerate(page.read_text().splitlines(), 1):
            match = BLOCK.match(line)
            if match and match["kind"] == "check":
                found.append((f"{page.relative_to(PAGES)}:{number}", match["ref"]))
    return found


def chosen(axis: Axis = KERNELS) -> list[str]:
    """The columns to run: the build's, then one per distinct set of kernels on this machine,
    or each checked TensorFlow release."""
    if axis.releases:
        return [DEFAULT, *versions.CHECKED]
    if axis.kind == "seeds":
        return [DEFAULT, *(f"seed{n}" for n in axis.seeds)]
    seen, names = set(), []
    for name in backends.BACKENDS:
        if axis.only and name != DEFAULT and name not in axis.only:
            continue
        kernels = backends.fingerprint(name)["kernels"]
        if kernels in seen:
            print(f"skipping {name}: on this CPU it gives the same kernels ({kernels})")
            continue
        seen.add(kernels)
        names.append(name)
    return names


def run_under(backend: str, names: list[str], axis: Axis = KERNELS) -> Path:
    """The run store of the examples ``names`` (all if empty) under ``backend``, up to date.

    The default back-end's store is the build's: ``python -m rundocs run`` brings it up to date
    (and publishes it, as ``make runs`` does), running only what is missing or stale. Any other
    back-end's (or release's) store, of its own, is brought up to date the same way, without
    publishing.
    """
    if backend == DEFAULT:
        store, options = cache.RUNS, []
        print(f"\n== {backend} (the build's runs, {store}): {axis.describe(backend)}",
              flush=True)
    else:
        store, options = axis.store(backend), ["--no-publish", *axis.option(backend)]
        print(f"\n== {backend}: {axis.describe(backend)}", flush=True)
    env = {**os.environ, "RUNDOCS_RUNS": str(store)}
    env.pop(versions.ACTIVE, None)
    if axis.kind == "seeds" and backend != DEFAULT:
        env["RUNDOCS_EXAMPLES"] = str(reseeded(axis.examples(backend), seed(backend)))
    status = subprocess.call([sys.executable, "-m", "rundocs", "run", *options, *names],
                             env=env, cwd=ROOT,  # and it ends when this process ends
                             preexec_fn=parent_death_signal(signal.SIGTERM))
    if status:
        raise RunError(f"examples failed under {backend} ({axis.describe(backend)}); see above")
    return store


class Elsewhere(Exception):
    """A check reads an example left out of this matrix."""


def verdicts(backend: str, store: Path, names: list[str],
             axis: Axis = KERNELS) -> dict[str, str]:
    """Every claim verdict and page check outcome read from ``store``, by row label.

    With ``names``, only those examples' claims, and the page checks that read only their runs.
    """

    def value(name, path):
        if names and name.partition("@")[0] not in names:
            raise Elsewhere
        return latest(name).value(path)

    saved = dict(os.environ), cache.RUNS, results.EXAMPLES, runner.EXAMPLES
    os.environ.pop(versions.ACTIVE, None)
    os.environ.update(axis.settings(backend))  # run keys include these settings
    cache.RUNS = store
    results.EXAMPLES = runner.EXAMPLES = axis.examples(backend)  # another seed's copies
    try:
        rows = {}
        for script in examples():
            if names and script.stem not in names:
                continue
            for number, claim in enumerate(latest(script.stem).values.get("claims", [])):
                rows[f"{script.stem} claim {number + 1}: {claim['claim'][:60]}"] = claim["verdict"]
        for where, expression in page_checks():
            try:
                holds, read = checks.evaluate(expression, value)
                rows[f"{where} check: {expression}"] = "true" if holds else (
                    "FALSE (" + "; ".join(f"{k} = {str(v)[:40]}" for k, v in read.items()) + ")")
            except Elsewhere:
                continue
            except RunError as error:
                rows[f"{where} check: {expression}"] = f"ERROR ({error})"
        return rows
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        cache.RUNS, results.EXAMPLES, runner.EXAMPLES = saved[1:]


def main(wanted: list[str]) -> int:
    kind = "versions" if "--versions" in wanted else "backends"
    if kind == "versions" and not versions.CHECKED:
        print("rundocs: this project checks no other TensorFlow release: list them as `checked` "
              "in pyproject.toml's [tool.rundocs.tensorflow]", file=sys.stderr)
        return 1
    seeds = SEEDS
    for option in [n for n in wanted if n.startswith("--seeds")]:
        kind, listed = "seeds", option.partition("=")[2]
        try:
            seeds = tuple(int(n) for n in listed.split(",")) if listed else SEEDS
        except ValueError:
            print(f"rundocs: --seeds takes whole numbers, as in --seeds=1,2 (not {listed!r})",
                  file=sys.stderr)
            return 1
    only = tuple(n for option in wanted if option.startswith("--backends=")
                 for n in option.partition("=")[2].split(",") if n)
    if set(only) - set(backends.BACKENDS):
        print(f"rundocs: --backends takes back-ends of {', '.join(backends.BACKENDS)} "
              f"(not {', '.join(sorted(set(only) - set(backends.BACKENDS)))})", file=sys.stderr)
        return 1
    axis = Axis(kind, seeds, only)
    wanted = [n for n in wanted if not n.startswith("--")]
    unknown = [n for n in wanted if n not in {s.stem for s in examples()}]
    if unknown:
        print(f"rundocs: there is no example {LESSONS}/{unknown[0]}.py", file=sys.stderr)
        return 1
    names = chosen(axis)
    table = {}
    try:
        for name in names:
            table[name] = verdicts(name, run_under(name, wanted, axis), wanted, axis)
    except RunError as error:
        print(f"rundocs: {error}", file=sys.stderr)
        return 1
    rows = list(table[names[0]])
    differ = [r for r in rows if len({table[n].get(r) for n in names}) > 1]
    false = [r for r in rows if " check: " in r and any(table[n].get(r) != "true" for n in names)]
    width = min(90, max((len(r) for r in rows), default=10))
    print("\n" + " " * (width + 3) + "".join(f"{n:>12}" for n in names))
    for row in rows:
        mark = "≠" if row in differ else " "
        cells = "".join(f"{table[n].get(row, '-').split(' (')[0][:11]:>12}" for n in names)
        label = row if len(row) <= width else row[:width - 1] + "…"
        print(f"{mark} {label:<{width}} {cells}")
    axis.report.parent.mkdir(parents=True, exist_ok=True)
    axis.report.write_text(json.dumps({
        {"backends": "backends", "versions": "releases", "seeds": "seeds"}[axis.kind]:
            {n: axis.facts(n) for n in names},
        "examples": wanted or [s.stem for s in examples()],
        "rows": table, "differ": differ, "false": false}, indent=1))
    if axis.releases:
        checked.save(table, names, wanted, backends.describe(backends.fingerprint()))
    claims = [r for r in rows if " claim " in r]
    print(f"\n{len(names)} {axis.noun}; {len(claims)} claims and {len(rows) - len(claims)} page "
          f"checks; {len(differ)} differ between {axis.noun}; {len(false)} checks not true "
          f"everywhere (table in {axis.report.relative_to(ROOT)})")
    for row in false:
        print(f"FAILED {row}: " + "; ".join(f"{n}: {table[n].get(row)}" for n in names))
    for row in differ:
        if row not in false:
            print(f"DIFFERS {row}: " + ", ".join(f"{n}: {table[n].get(row)}" for n in names))
    return 1 if false or differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
