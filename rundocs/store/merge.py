"""``python -m rundocs merge STORE ... [--into DIR]``: join run stores into one.

The stores of the shards of a build (``python -m rundocs run --shard K/N --export DIR``), made
on other machines, become the one store a site is built from. A store is downloaded, so it is
read as a stranger's: only folders ``NAME/KEY`` of an example of ``examples/`` (``NAME`` or
``NAME@BACKEND``, a back-end the example asks for) are taken, each entry holding only the
regular files a run writes, none over :data:`MAX_FILE` nor all over :data:`MAX_ENTRY`, every
file read without following links and never past those limits, and the entry proving itself
(:func:`rundocs.store.cache.verified`: its manifest, its ``result.json``, its example, and recorded
inputs that give its key). Anything else is refused in one line naming it. That proves an
entry consistent, not true: a forger who knows the (public) inputs can write one that passes;
what catches it is a second, independent run, which the build's tests and the hosted workflow
make.

Two runs of one example with different sources, lock files or engines are refused: no one site
may mix them. A share is dealt by the run times its job's store holds, so jobs that restored
different stores may deal an example twice: the same run twice is taken once if the two agree
on everything but wall-clock times (as ``make check-reproducible`` compares), and refused if
they do not; the same source run on two kinds of machine keeps the run this machine would make
(under the store's back-end, ``merge --backend``, as ``run --backend`` made it), else the
first. One dealt to no share is made by the build that follows, which brings the joined store
up to date.

The join is one step: every entry is copied into one staging folder beside the destination and
verified there, and only when all are complete are they renamed into place; on any failure (a
refused entry, a full disk) nothing is joined and the staging folder is removed. Each replaces
the destination's older runs of the same example.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

from rundocs.axes import backends
from rundocs.axes.tensorflow import versions
from rundocs.errors import RunError
from rundocs.project import EXAMPLES, LESSONS
from rundocs.run import cells
from rundocs.store import cache
from rundocs.store.compare import differences

MAX_FILE = 64 * 2**20  # bytes a file of an entry may hold: result.json keeps all a run printed
MAX_ENTRY = 256 * 2**20  # bytes an entry may hold in all
RUN = re.compile(r"(?P<example>[A-Za-z_]\w*)(?:@(?P<backend>[\w-]+))?")  # NAME or NAME@BACKEND
KEY = re.compile(r"[0-9a-f]{20}")  # what cache.key_of gives
LEFT = (".staging-", ".merging-")  # what a killed run or merge leaves in a run's folder


def entries(store: Path) -> dict[str, tuple[Path, dict]]:
    """``NAME/KEY`` -> (folder, result) for every stored run of ``store``, each verified;
    RunError naming the first thing in it that is not a sound run of an example."""
    if not store.is_dir():
        raise RunError(f"{store} is not a run store (no such folder)")
    found = {}
    for run in sorted(store.iterdir()):
        example(store, run)
        for folder in sorted(run.iterdir()):
            if folder.is_symlink() or not (folder.is_dir() or folder.name == ".lock"):
                refuse(folder, "is a link or a special file, which no run store holds")
            if folder.name == ".lock" or folder.name.startswith(LEFT):
                continue  # the run's lock, or what a killed run left: never taken
            if not KEY.fullmatch(folder.name):
                refuse(folder, "is not named by a run key, as every entry of a run store is")
            found[f"{run.name}/{folder.name}"] = (folder, sound(folder))
    return found


def refuse(path: Path, why: str):
    raise RunError(f"{path} {why}: that store is damaged or was tampered with; make it again, "
                   "and merge only stores the build's own jobs exported")


def example(store: Path, run: Path) -> None:
    """RunError unless ``run`` is the folder of runs of an example this build has (``NAME``),
    or of one under a back-end it asks for (``NAME@BACKEND``)."""
    match = RUN.fullmatch(run.name)
    if run.is_symlink() or not run.is_dir() or not match:
        refuse(run, "is not a folder of runs of an example (NAME or NAME@BACKEND)")
    script = EXAMPLES / f"{match['example']}.py"
    if not script.is_file():
        raise RunError(f"{run} holds runs of {LESSONS}/{script.name}, which does not exist: merge "
                       "only stores made from the examples of this commit")
    backend = match["backend"]
    known = backend in backends.BACKENDS or backend in versions.known()
    if backend and not (known and backend in cells.backends(script.read_text(errors="replace"))):
        raise RunError(f"{run} holds runs under '{backend}', a back-end {LESSONS}/{script.name} "
                       "does not ask for: merge only stores made from the examples of this commit")


def sound(folder: Path) -> dict:
    """The result of the entry ``folder`` once it proves itself; RunError naming it if not."""
    try:
        return cache.verified(folder, MAX_FILE, MAX_ENTRY)
    except cache.Unsound as why:
        refuse(folder, str(why))


def export(names: list[str], into: Path) -> None:
    """Copy the current runs of ``names`` (``NAME`` or ``NAME@BACKEND``) from the run store
    into ``into``, a store of just those runs: what a shard hands to the merge."""
    from rundocs.store.results import latest

    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        folder = latest(name).folder
        shutil.copytree(folder, into / name / folder.name, dirs_exist_ok=True)


def current(name: str) -> str | None:
    """The key ``NAME`` (or ``NAME@BACKEND``) would have if it ran now, on this machine, under
    this process's numeric settings (those ``merge --backend`` sets) with ``BACKEND``'s laid
    over them: :func:`rundocs.axes.backends.environment`, part of every key."""
    example, _, backend = name.partition("@")
    script = EXAMPLES / f"{example}.py"
    return cache.key(script, backend or None) if script.exists() else None


def choose(stores: list[Path]) -> dict[str, tuple[Path, dict]]:
    """``NAME/KEY`` -> (folder, result) of the runs to join; RunError on a conflict."""
    chosen: dict[str, tuple[Path, dict]] = {}
    for store in stores:
        for entry, (folder, mine) in entries(store).items():
            name, key = entry.split("/")
            other = next((e for e in chosen if e.split("/")[0] == name and e != entry), None)
            if other:
                theirs = chosen[other][1]
                if sources(mine) != sources(theirs):
                    raise RunError(
                        f"{name} has runs of different inputs in {chosen[other][0].parent.parent} "
                        f"(key {other.split('/')[1]}) and {store} (key {key}): their sources, "
                        "lock files or engines differ; merge the stores of one build only")
                # the same source run on two kinds of machine (shares dealt from different
                # stores): keep the run this machine would make, else the first
                if key == current(name):
                    del chosen[other]
                    chosen[entry] = (folder, mine)
                continue
            if entry in chosen:
                first = chosen[entry][0].parent.parent
                found = differences(name, chosen[entry][1], mine, (f"in {first}", f"in {store}"))
                if found:
                    raise RunError(f"{name} run {key} differs between {first} and {store}:\n"
                                   + "\n".join(found[:5]))
                continue
            chosen[entry] = (folder, mine)
    return chosen


def sources(result: dict) -> dict:
    """The inputs of a run but the machine's: what two runs of one build must share."""
    return {part: digest for part, digest in result["inputs"].items() if part != "the back-end"}


def merge(stores: list[Path], into: Path) -> str:
    """Join ``stores`` into ``into``; a line saying what was joined. RunError on a conflict or
    an entry that does not prove itself, before anything is written."""
    chosen = choose(stores)
    for entry, (folder, mine) in chosen.items():  # the destination may hold the same run already
        if (into / entry).is_dir():
            found = differences(entry.split("/")[0], sound(into / entry), mine,
                                (f"in {into}", f"in {folder.parent.parent}"))
            if found:
                raise RunError(f"{entry} differs between {into} and {folder.parent.parent}:\n"
                               + "\n".join(found[:5]))
    place({e: f for e, (f, _) in chosen.items() if not (into / e).is_dir()}, into)
    return (f"merged {len(chosen)} runs from {len(stores)} store{'s' * (len(stores) > 1)} "
            f"into {into}")


def place(taken: dict[str, Path], into: Path) -> None:
    """Copy ``taken`` (``NAME/KEY`` -> folder) into ``into`` all together or not at all: each
    copied into one staging folder beside ``into`` and verified there (so what is put in place
    is what was verified, even if its store changed meanwhile), then all renamed into place;
    on any failure, what was put in place is removed again. Older runs of each go after."""
    into.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".merging-{into.name}-"  # then this process's id and mkdtemp's letters
    for left in into.parent.glob(f"{prefix}*"):  # left by a merge that was killed
        pid = re.fullmatch(r"(\d+)-\w+", left.name.removeprefix(prefix))
        if pid and not cache.alive(int(pid[1])):
            shutil.rmtree(left, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=into.parent))
    made = []  # what this merge created in ``into``, removed again if it fails
    try:
        for entry, folder in taken.items():
            (stage / entry).mkdir(parents=True)
            for file in folder.iterdir():  # regular files only: entries() refused anything else
                shutil.copyfile(file, stage / entry / file.name, follow_symlinks=False)
            sound(stage / entry)
        for entry in taken:
            for folder in (into, (into / entry).parent):
                if not folder.is_dir():
                    folder.mkdir()
                    made.append(folder)
            (stage / entry).rename(into / entry)
            made.append(into / entry)
    except BaseException:
        for folder in reversed(made):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    for entry in taken:
        final = into / entry
        for old in final.parent.iterdir():  # older runs of the example, and what they left
            if old != final and (not old.name.startswith(".") or old.name.startswith(".merging-")):
                shutil.rmtree(old, ignore_errors=True)
