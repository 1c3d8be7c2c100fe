"""``make check-reproducible``: run every example once more from scratch; compare with the build.

The build's runs (``build/runs``, or ``RUNDOCS_RUNS``) are brought up to date first, as
``make runs`` does: nothing runs where they are current (runs are keyed by content), and a
missing or stale run is made. Then each example runs once more, from scratch, into a
temporary folder, and is compared with the build's run of the same source.

Every quoted value and every number printed must agree between the two runs, except wall-clock
measurements (:mod:`rundocs.store.compare`). Each difference is listed; the exit status is 1 if
there is any, or if a run fails.

``python -m rundocs.commands.reproducible NAME ...`` checks those examples only.
"""

import json
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rundocs.errors import RunError
from rundocs.project import EXAMPLES, LESSONS
from rundocs.publish.update import update
from rundocs.run.cells import timeout
from rundocs.store.compare import differences
from rundocs.store.results import latest
from rundocs.store.runner import DEFAULT_TIMEOUT, examples, execute, longest_first


def once_more(script: Path, scratch: Path) -> list[str]:
    """Run ``script`` once more from scratch; how it differs from the build's run.

    RunError if the build has no run of its current source, or if the run fails.
    """
    built = latest(script.stem).data
    folder = scratch / script.stem
    folder.mkdir()
    execute(script, folder, timeout(script.read_text(), DEFAULT_TIMEOUT))
    again = json.loads((folder / "result.json").read_text())
    print(f"compared {script.stem}", flush=True)
    return differences(script.stem, built, again)


def main(names: list[str]) -> int:
    unknown = [n for n in names if not (EXAMPLES / f"{n}.py").exists()]
    if unknown:
        print(f"rundocs: there is no example {LESSONS}/{unknown[0]}.py", file=sys.stderr)
        return 1
    scripts = [s for s in examples() if not names or s.stem in names]
    jobs = os.cpu_count() or 1
    print("== the build's runs (only what is missing or stale runs)", flush=True)
    try:
        update(scripts, jobs)
    except RunError as error:
        print(f"rundocs: {error}", file=sys.stderr)
        return 1
    print(f"== each example once more, from scratch ({len(scripts)})", flush=True)
    failed = []
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(jobs) as pool:

        def check(script: Path) -> list[str]:
            try:
                return once_more(script, Path(scratch))
            except RunError as error:
                failed.append(str(error))
                return []

        order = [script for script, _ in longest_first([(s, None) for s in scripts])]
        found = [d for ds in pool.map(check, order) for d in ds]
    for difference in found:
        print(difference)
    for failure in failed:
        print(f"rundocs: {failure}", file=sys.stderr)
    print(f"{len(scripts)} examples run once more and compared with the build's runs: "
          + (f"{len(found)} differences" if found else "identical")
          + (f", {len(failed)} failed" if failed else ""))
    return 1 if found or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
