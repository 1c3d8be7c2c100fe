"""What two runs of one source must share: every value and every number printed, except
wall-clock measurements.

Those are durations printed as Keras' progress lines print them ("3s - 2ms/step"), speed-ups
and rates printed as "7.3x faster" or "94.00 GFLOP/s", and values named ``*_seconds``,
``*_speedup`` or ``*_per_second``. ``make check-reproducible`` and ``python -m rundocs merge``
both compare runs this way.
"""

import json
import re
from itertools import zip_longest

TIMING = re.compile(r"\b\d+(?:\.\d+)?(?:(?:s|ms|us)(?:\/step)?|x faster| GFLOP/s)\b")
TIMED = ("_seconds", "_speedup", "_per_second")  # names of values that are wall-clock timings


def printed(result: dict) -> list[str]:
    """Each cell's output with timings masked."""
    return [TIMING.sub("<time>", "".join(t for _, t in c["outputs"])) for c in result["cells"]]


def differences(name: str, built: dict, again: dict,
                labels: tuple[str, str] = ("in the build's run", "run again")) -> list[str]:
    """What differs between two runs (the build's and one made again), one line each."""
    found = []
    for key in sorted(set(built["values"]) | set(again["values"])):
        if key.endswith(TIMED):
            continue
        a, b = built["values"].get(key), again["values"].get(key)
        if a != b and json.dumps(a) != json.dumps(b):  # NaN is not NaN, but is the same result
            found.append(f"{name}: value {key}: {str(a)[:80]} {labels[0]}, "
                         f"{str(b)[:80]} {labels[1]}")
    before, after = printed(built), printed(again)
    if len(before) != len(after):
        found.append(f"{name}: {len(before)} cells {labels[0]}, {len(after)} {labels[1]}")
    for cell, (a, b) in enumerate(zip(before, after)):
        for line_a, line_b in zip_longest(a.splitlines(), b.splitlines(), fillvalue="<nothing>"):
            if line_a != line_b:
                found.append(f"{name}: cell {cell} printed\n    {line_a}\n  {labels[0]}, "
                             f"and\n    {line_b}\n  {labels[1]}")
    return found
