"""``make check-reproducible``: run every example twice from scratch and compare the runs.

Every quoted value and every number printed must agree between the two runs, except wall-clock
measurements: durations printed as Keras' progress lines print them ("3s - 2ms/step"),
speed-ups and rates printed as "7.3x faster" or "94.00 GFLOP/s", and values named
``*_seconds``, ``*_speedup`` or ``*_per_second``. Each difference is listed; the exit status
is 1 if there is any.
"""

import json
import os
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rundocs.cells import timeout
from rundocs.errors import RunError
from rundocs.runner import DEFAULT_TIMEOUT, examples, execute

TIMING = re.compile(r"\b\d+(?:\.\d+)?(?:(?:s|ms|us)(?:\/step)?|x faster| GFLOP/s)\b")
TIMED = ("_seconds", "_speedup", "_per_second")  # names of values that are wall-clock timings


def printed(result: dict) -> list[str]:
    """Each cell's output with timings masked."""
    return [TIMING.sub("<time>", "".join(t for _, t in c["outputs"])) for c in result["cells"]]


def differences(name: str, first: dict, second: dict) -> list[str]:
    found = []
    for key in sorted(set(first["values"]) | set(second["values"])):
        if key.endswith(TIMED):
            continue
        a, b = first["values"].get(key), second["values"].get(key)
        if a != b:
            found.append(f"{name}: value {key}: {str(a)[:80]} != {str(b)[:80]}")
    for cell, (a, b) in enumerate(zip(printed(first), printed(second), strict=True)):
        for line_a, line_b in zip(a.splitlines(), b.splitlines()):
            if line_a != line_b:
                found.append(f"{name}: cell {cell} printed\n    {line_a}\n  then\n    {line_b}")
    return found


def twice(script: Path, scratch: Path) -> list[str]:
    limit = timeout(script.read_text(), DEFAULT_TIMEOUT)
    results = []
    for attempt in ("first", "second"):
        folder = scratch / f"{script.stem}-{attempt}"
        folder.mkdir()
        execute(script, folder, limit)
        results.append(json.loads((folder / "result.json").read_text()))
    print(f"compared {script.stem}", flush=True)
    return differences(script.stem, *results)


def main(names: list[str]) -> int:
    scripts = [s for s in examples() if not names or s.stem in names]
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        try:
            found = [d for ds in pool.map(lambda s: twice(s, Path(scratch)), scripts) for d in ds]
        except RunError as error:
            print(f"rundocs: {error}", file=sys.stderr)
            return 1
    for difference in found:
        print(difference)
    print(f"{len(scripts)} examples run twice: "
          + (f"{len(found)} differences" if found else "identical"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
