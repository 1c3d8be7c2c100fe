"""What ``make check-versions`` found, kept in ``locks/checked.json``, and whether it still holds.

The version check runs every example under other TensorFlow releases, which takes longer than
a build should (each release is an environment of its own, every example runs again), so the
build does not run it. It records, per example, the inputs of the runs it checked (the script,
the engine, each release's lock) and which of the example's claims and page checks came out
differently. The pages and notebooks quote that record only while those inputs are still the
current ones: an example changed since the check says so instead.
"""

import json
import re

from rundocs.axes.tensorflow import versions
from rundocs.project import EXAMPLES
from rundocs.store import cache
from rundocs.store.runner import examples

RECORD = versions.LOCKS / "checked.json"
# The page that shows what differs on each release, by its title and its address in the site.
TITLE, PAGE = versions.KIT.get("versions_page", ["the versions page", "versions/"])
MACHINE_PART = "the back-end"  # the CPU a check ran on is said apart, not matched


def _inputs(script, release: str | None) -> dict[str, str]:
    found = dict(cache.inputs(script, release))
    found.pop(MACHINE_PART, None)
    return found


def save(table: dict[str, dict[str, str]], columns: list[str], names: list[str],
         machine: str) -> None:
    """Record the version matrix ``table`` (column -> row label -> verdict) for ``names``.

    Examples checked before and not in ``names`` keep their entries.
    """
    record = load()
    record["releases"] = {c: versions.describe(None if c == "default" else c) for c in columns}
    record["machine"] = machine
    entries = record.setdefault("examples", {})
    rows = list(table[columns[0]])
    for script in examples():
        if names and script.stem not in names:
            continue
        reads = re.compile(rf"\b{script.stem}\b")  # a check that reads this example's runs
        mine = [r for r in rows if r.startswith(f"{script.stem} claim ")
                or (" check: " in r and reads.search(r.split(" check: ", 1)[1]))]
        entries[script.stem] = {
            "inputs": {c: _inputs(script, None if c == "default" else c) for c in columns},
            "claims": sum(" claim " in r and " check: " not in r for r in mine),
            "checks": sum(" check: " in r for r in mine),
            "differ": [r for r in mine if len({table[c].get(r) for c in columns}) > 1],
        }
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def load() -> dict:
    try:
        return json.loads(RECORD.read_text())
    except (OSError, ValueError):
        return {}


def status(name: str) -> dict:
    """For example ``name``: ``releases`` (descriptions of the other releases it was checked
    on), ``differ`` (row labels that came out differently) and ``current`` (whether the record
    is about this very source, engine and locks)."""
    record, script = load(), EXAMPLES / f"{name}.py"
    entry = record.get("examples", {}).get(name)
    others = [c for c in record.get("releases", {}) if c != "default"]
    if entry is None:
        return {"releases": [], "differ": [], "current": False}
    current = all(entry["inputs"].get(c) == _inputs(script, None if c == "default" else c)
                  for c in ["default", *others])
    return {"releases": [record["releases"][c] for c in others], "differ": entry["differ"],
            "current": current, "claims": entry["claims"], "checks": entry["checks"]}


def _listed(releases: list[str]) -> str:
    """"TensorFlow 2.16.2 (Keras 3.4.1), ... and TensorFlow 2.18.1": each release by its
    TensorFlow, with its Keras where two releases share a TensorFlow."""
    tensorflows = [r.split(", ")[0] for r in releases]
    names = [f"{tf} ({r.split(', ')[1]})" if tensorflows.count(tf) > 1 and ", " in r else tf
             for r, tf in zip(releases, tensorflows)]
    return ", ".join(names[:-1]) + " and " * (len(names) > 1) + names[-1]


def sentence(name: str, site: str) -> str:
    """What a reader of ``name`` can expect on another TensorFlow release, in one sentence;
    ``site`` is the site's address, before the page that lists what differs (the kit's
    ``versions_page``)."""
    found = status(name)
    if not versions.CHECKED:
        return "No other TensorFlow release is checked for this project."
    if not found["current"]:
        return ("Not yet checked on other TensorFlow releases in this form: "
                "`make check-versions` has not run since the example or a lock changed.")
    releases = _listed(found["releases"])
    if found["differ"]:
        return (f"Also run on {releases}: {len(found['differ'])} of its claims and page checks "
                f"came out differently there (listed on [{TITLE}]({site}{PAGE})).")
    return (f"Also run on {releases} (`make check-versions`): every claim and page check of "
            "this example came out the same there; the numbers it prints were not compared.")
