"""``python -m rundocs merge STORE ... [--into DIR]``: join run stores into one.

The stores of the shards of a build (``python -m rundocs run --shard K/N --export DIR``), made
on other machines, become the one store a site is built from. Every entry is verified against its
manifest before it is taken. Two runs of one example with different sources, lock files or
engines are refused: no one site may mix them. A share is dealt by the run times its job's
store holds, so jobs that restored different stores may deal an example twice: the same run
twice is taken once if the two agree on everything but wall-clock times (as ``make
check-reproducible`` compares), and refused if they do not; the same source run on two kinds of
machine keeps the run this machine would make, else the first. One dealt to no share is made
by the build that follows, which brings the joined store up to date.
Each entry is copied beside its place and renamed into it, so the store is never half-written;
it replaces the destination's older runs of the same example.
"""

import json
import shutil
import tempfile
from pathlib import Path

from rundocs import EXAMPLES, cache
from rundocs.errors import RunError
from rundocs.compare import differences
from rundocs.results import latest


def entries(store: Path) -> dict[str, Path]:
    """``NAME/KEY`` -> folder for every stored run of ``store``; RunError on a damaged one."""
    if not store.is_dir():
        raise RunError(f"{store} is not a run store (no such folder)")
    found = {}
    for folder in sorted(store.glob("[!.]*/[!.]*")):
        if not cache.whole(folder):
            raise RunError(f"{folder} fails its manifest: that store is damaged or was copied "
                           "while a run was written; make it again")
        found[f"{folder.parent.name}/{folder.name}"] = folder
    return found


def export(names: list[str], into: Path) -> None:
    """Copy the current runs of ``names`` (``NAME`` or ``NAME@BACKEND``) from the run store
    into ``into``, a store of just those runs: what a shard hands to the merge."""
    from rundocs.results import latest

    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        folder = latest(name).folder
        shutil.copytree(folder, into / name / folder.name, dirs_exist_ok=True)


def result(folder: Path) -> dict:
    return json.loads((folder / "result.json").read_text())


def current(name: str) -> str | None:
    """The key ``NAME`` (or ``NAME@BACKEND``) would have if it ran now, on this machine."""
    example, _, backend = name.partition("@")
    script = EXAMPLES / f"{example}.py"
    return cache.key(script, backend or None) if script.exists() else None


def merge(stores: list[Path], into: Path) -> str:
    """Join ``stores`` into ``into``; a line saying what was joined. RunError on a conflict,
    before anything is written."""
    chosen: dict[str, Path] = {}
    for store in stores:
        for entry, folder in entries(store).items():
            name, key = entry.split("/")
            other = next((e for e in chosen if e.split("/")[0] == name and e != entry), None)
            if other:
                mine, theirs = result(folder)["inputs"], result(chosen[other])["inputs"]
                if any(mine[p] != theirs[p] for p in mine if p != "the back-end"):
                    raise RunError(
                        f"{name} has runs of different inputs in {chosen[other].parent.parent} "
                        f"(key {other.split('/')[1]}) and {store} (key {key}): their sources, "
                        "lock files or engines differ; merge the stores of one build only")
                # the same source run on two kinds of machine (shares dealt from different
                # stores): keep the run this machine would make, else the first
                if key == current(name):
                    del chosen[other]
                    chosen[entry] = folder
                continue
            if entry in chosen:
                first = chosen[entry].parent.parent
                found = differences(name, result(chosen[entry]), result(folder),
                                    (f"in {first}", f"in {store}"))
                if found:
                    raise RunError(f"{name} run {key} differs between {first} and {store}:\n"
                                   + "\n".join(found[:5]))
                continue
            chosen[entry] = folder
    for entry, folder in chosen.items():  # the destination may hold the same run already
        if (into / entry).is_dir():
            found = differences(entry.split("/")[0], result(into / entry), result(folder),
                                (f"in {into}", f"in {folder.parent.parent}"))
            if found:
                raise RunError(f"{entry} differs between {into} and {folder.parent.parent}:\n"
                               + "\n".join(found[:5]))
    for entry, folder in chosen.items():
        final = into / entry
        if final.is_dir():
            continue
        final.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".merging-", dir=final.parent))
        shutil.copytree(folder, staged, dirs_exist_ok=True)
        staged.rename(final)
        for old in final.parent.iterdir():  # older runs of the example, and what they left
            if old != final and (not old.name.startswith(".") or old.name.startswith(".merging-")):
                shutil.rmtree(old, ignore_errors=True)
    return (f"merged {len(chosen)} runs from {len(stores)} store{'s' * (len(stores) > 1)} "
            f"into {into}")
