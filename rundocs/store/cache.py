"""Content-addressed storage of runs.

A run is keyed by everything that can change its output: the example's source, the sources
of the local modules it imports (found by reading its imports), the lock file that pins every
dependency, the engine code that executes it, and the hardware and numeric settings it runs
under (:func:`rundocs.axes.backends.fingerprint`). An example shown under another back-end
(``NAME@BACKEND``) is a run of its own. An entry is written in a staging folder of its own and
renamed into place only when complete, with a manifest of checksums that is verified on every
read, so a crashed, interrupted or corrupted run is never served.

An entry also records the inputs its key was made from, and a reader takes it only if those
inputs give its key and are those of the current sources (:func:`verified`, :func:`load`).
That proves the entry is consistent, not that its numbers are true: the inputs are public, so
anyone can write an entry whose key, inputs and manifest agree. What catches such an entry is
a second, independent run of the same source (the test suite's re-run of every download, and in
the hosted workflow a re-run in another job), never this check alone.
"""

import ast
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from rundocs.axes import backends
from rundocs.axes.tensorflow import versions
from rundocs.files import replace
from rundocs.project import RUNS
from rundocs.run.names import shadows

ENGINE = Path(__file__).resolve().parent.parent
# The engine's code that runs in an example's process or decides what it runs under.
ENGINE_FILES = [ENGINE / n for n in ("run/child.py", "run/cells.py", "store/cache.py",
                                     "axes/backends.py", "run/terminal.py",
                                     "axes/tensorflow/__init__.py",
                                     "axes/tensorflow/offline.py")]
MANIFEST = "MANIFEST.json"
RESULT = "result.json"
# A file, figure or chart name an entry may use: no folder, no hidden file, no control character
# (figure names come from matplotlib labels, and pages build file paths from them).
PLAIN = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]*")
# What result.json must hold, and of which type, for every reader of a run to find it.
RESULT_FIELDS = {"script": str, "inputs": dict, "cells": list, "values": dict, "figures": dict,
                 "provenance": dict}
SETTLED = 2.0  # seconds a file must have been left alone before its remembered hash is trusted


class Hashes:
    """Each file's hash and the names it imports, read once per content.

    A file's facts are reused while its inode, size, modification and change times are those
    they were read at, and only if the file had then been left alone for ``SETTLED`` seconds:
    an edit within the same clock tick, or one that keeps the size and puts the old
    modification time back, is still seen (the "racily clean" rule git uses).
    """

    def __init__(self):
        self.known: dict[Path, tuple[tuple, str, list[str]]] = {}

    def facts(self, path: Path) -> tuple[str, list[str]]:
        """(sha256 of ``path``'s bytes, the top-level modules it imports)."""
        status = path.stat()
        signature = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        known = self.known.get(path)
        if known and known[0] == signature:
            return known[1], known[2]
        data = path.read_bytes()
        found = (hashlib.sha256(data).hexdigest(), _imported(data, path))
        if time.time() - status.st_ctime_ns / 1e9 > SETTLED:
            self.known[path] = (signature, *found)
        return found


def _imported(data: bytes, path: Path) -> list[str]:
    """The top-level names of the modules a Python file imports (none for other files)."""
    if path.suffix != ".py":
        return []
    try:
        tree = ast.parse(data, str(path))
    except (SyntaxError, ValueError):  # hashed all the same; the run reports the error
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return names


HASHES = Hashes()


def local_imports(script: Path) -> list[Path]:
    """The script and every module of its folder it imports, directly or not, sorted.

    A file named like a module of the standard library or an installed package (an
    ``examples/numpy.py``) is never taken for the module a script imports under that name.
    """
    folder, found, todo = script.parent, set(), [script]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for name in HASHES.facts(path)[1]:
            candidate = folder / f"{name}.py"
            if candidate.exists() and not shadows(name):
                todo.append(candidate)
    return sorted(found)


def inputs(script: Path, backend: str | None = None) -> dict[str, str]:
    """What the run of ``script`` depends on, each part as a short hash, by what it is.

    It reads only the files the run depends on, each once per content (:class:`Hashes`), so
    a page that refers to a run many times costs one hash, keys for N examples cost time
    linear in N, and an edit is still seen at once.
    """
    lock = versions.lock(backend)  # the main lock, or that of another TensorFlow release
    machine = json.dumps(backends.fingerprint(backend), sort_keys=True)
    return {
        "the script": _digest(local_imports(script)),
        "the lock file": _digest([lock]) if lock.is_file() else _installed(),
        "the engine": _digest(ENGINE_FILES),
        "the back-end": hashlib.sha256(machine.encode()).hexdigest()[:12],
    }


@functools.cache
def _installed() -> str:
    """What pins a project's runs that has no lock file: its installed packages' versions."""
    found = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    return hashlib.sha256("\n".join(found).encode()).hexdigest()[:12]


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + HASHES.facts(path)[0].encode() + b"\0")
    return digest.hexdigest()[:12]


def key(script: Path, backend: str | None = None) -> str:
    """The content hash that names the run of ``script`` (under ``backend``, if given)."""
    return key_of(inputs(script, backend))


def key_of(parts: dict[str, str]) -> str:
    """The key a run of these inputs is stored under: what :func:`key` gives for the sources
    they were hashed from, and what :func:`verified` checks an entry's recorded inputs give."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def why(script: Path, backend: str | None = None) -> str:
    """Why the run of ``script`` must be made: what changed since the stored one, if any."""
    now = inputs(script, backend)
    for result in (RUNS / run_name(script, backend)).glob("[!.]*/result.json"):
        try:
            before = json.loads(result.read_text()).get("inputs")
        except (OSError, ValueError):
            continue
        if not before:  # stored by an engine that did not record its inputs yet
            return "the engine changed"
        changed = [part for part in now if before.get(part) != now[part]]
        if changed:
            return ", ".join(changed[:-1]) + " and " * (len(changed) > 1) + changed[-1] + " changed"
    return "no run yet"


def last_seconds(script: Path, backend: str | None = None) -> float | None:
    """How long the stored run (of this or an earlier source) took, if there is one."""
    for result in (RUNS / run_name(script, backend)).glob("[!.]*/result.json"):
        try:
            return json.loads(result.read_text())["wall_seconds"]
        except (OSError, ValueError, KeyError):
            continue
    return None


@contextmanager
def locked(script: Path, backend: str | None = None):
    """Hold the run's lock: a second build bringing the same run up to date waits here."""
    folder = RUNS / run_name(script, backend)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_name(script: Path, backend: str | None = None) -> str:
    """``NAME``, or ``NAME@BACKEND`` for an example shown under another back-end."""
    return f"{script.stem}@{backend}" if backend else script.stem


def entry_dir(script: Path, run_key: str, backend: str | None = None) -> Path:
    return RUNS / run_name(script, backend) / run_key


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != MANIFEST
    }


class Unsound(Exception):
    """Why an entry cannot be taken for a run: one line, naming the file at fault."""


def _read(path: Path, largest: int | None) -> tuple[str, bytes]:
    """(sha256, bytes) of the regular file ``path``, read without following a link and never
    past ``largest`` bytes (if given): a link to ``/dev/zero`` or a huge file is refused, not
    read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise Unsound(f"cannot read {path.name} ({error.strerror}): it is a link or "
                      "unreadable, which no run writes") from None
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Unsound(f"{path.name} is not a regular file, which no run writes")
        data = file.read() if largest is None else file.read(largest + 1)
    if largest is not None and len(data) > largest:
        raise Unsound(f"{path.name} is larger than {largest // 2**20} MB")
    return hashlib.sha256(data).hexdigest(), data


def _files(folder: Path, largest: int | None, total: int | None) -> dict[str, tuple[str, bytes]]:
    """Every file of the entry ``folder`` as name -> (sha256, bytes); Unsound on anything a run
    never writes there (a folder, a link, a special file, an odd name) or on one too large."""
    found, size = {}, 0
    for path in sorted(folder.iterdir()):
        if not PLAIN.fullmatch(path.name):
            raise Unsound(f"holds {path.name!r}, a name no run writes")
        if not stat.S_ISREG(path.lstat().st_mode):
            raise Unsound(f"holds {path.name}, which is not a regular file (a folder, a link or "
                          "a device), and no run writes one")
        found[path.name] = _read(path, largest)
        size += len(found[path.name][1])
        if total is not None and size > total:
            raise Unsound(f"holds more than {total // 2**20} MB")
    return found


def _parsed(name: str, data: bytes) -> dict:
    try:
        parsed = json.loads(data)
    except ValueError as error:
        raise Unsound(f"{name} is not valid JSON ({error})") from None
    if not isinstance(parsed, dict):
        raise Unsound(f"{name} is not a JSON object")
    return parsed


def _shape(result: dict) -> None:
    """Unsound unless ``result`` has every field readers use, of its type, and names its
    figures and charts plainly (pages build file paths from them)."""
    for field, kind in RESULT_FIELDS.items():
        if not isinstance(result.get(field), kind):
            raise Unsound(f"{RESULT} lacks '{field}' (a {kind.__name__})")
    if not isinstance(result.get("charts", []), list):
        raise Unsound(f"{RESULT} has 'charts' that is not a list")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in result["inputs"].items()):
        raise Unsound(f"{RESULT} has 'inputs' that are not names and hashes")
    for name in [*result["figures"], *result.get("charts", [])]:
        if not (isinstance(name, str) and PLAIN.fullmatch(name)):
            raise Unsound(f"{RESULT} names a figure or chart {name!r}, which is not a plain "
                          "file name (no folder, no leading dot)")


def verified(folder: Path, largest: int | None = None, total: int | None = None) -> dict:
    """The result of the entry ``folder`` (``.../NAME/KEY``) once it proves consistent; raises
    :class:`Unsound`, saying why, if it does not.

    It proves that the entry holds only regular files, at most ``largest`` bytes each and
    ``total`` in all (if given), named as a run names them: ``result.json``, the manifest, and
    one ``FIGURE.png`` and ``CHART.vl.json`` for each figure and chart ``result.json`` lists,
    no more, no fewer; that every file matches the manifest; that ``result.json`` holds what
    readers use, for the example ``NAME`` names; and that its recorded inputs hash to ``KEY``.

    It does not prove the run happened: a forger who reseals changed numbers with inputs that
    give the key (they are public) passes it. A second, independent run catches that.
    """
    files = _files(folder, largest, total)
    if MANIFEST not in files or RESULT not in files:
        raise Unsound(f"lacks its {MANIFEST if MANIFEST not in files else RESULT}")
    manifest = _parsed(MANIFEST, files.pop(MANIFEST)[1])
    if manifest != {name: digest for name, (digest, _) in files.items()}:
        raise Unsound("fails its manifest (a file was changed, added or removed after the run "
                      "was sealed)")
    result = _parsed(RESULT, files[RESULT][1])
    _shape(result)
    named = ({RESULT} | {f"{name}.png" for name in result["figures"]}
             | {f"{name}.vl.json" for name in result.get("charts", [])})
    if named != set(files):
        odd = sorted(named ^ set(files))
        raise Unsound(f"holds files that {RESULT} does not name, or lacks files it names: "
                      f"{', '.join(odd)}")
    example = folder.parent.name.partition("@")[0]
    if result["script"] != f"{example}.py":
        raise Unsound(f"records a run of {result['script']!r}, not of {example}.py")
    if key_of(result["inputs"]) != folder.name:
        raise Unsound("records inputs that do not give its key: it was not stored by a run "
                      "of those inputs")
    return result


def load(script: Path, run_key: str, backend: str | None = None) -> Path | None:
    """The verified entry for this key, or None. An entry that fails :func:`verified`, or whose
    recorded inputs are not those of the current sources, is deleted, not trusted."""
    folder = entry_dir(script, run_key, backend)
    if not folder.is_dir():
        return None
    try:
        if verified(folder)["inputs"] != inputs(script, backend):
            raise Unsound("records inputs that are not those of the current sources")
        return folder
    except Unsound as why:
        print(f"rundocs: cache entry {folder} {why}; discarding it and re-running")
    shutil.rmtree(folder, ignore_errors=True)
    return None


def staging(script: Path, run_key: str, backend: str | None = None) -> Path:
    """A fresh, empty folder of this process's own to run into; ``commit`` moves it into place."""
    parent = RUNS / run_name(script, backend)
    parent.mkdir(parents=True, exist_ok=True)
    for left in parent.glob(".staging-*"):  # left by a build that was killed
        if not alive(int(left.name.split("-")[2])):
            shutil.rmtree(left, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".staging-{run_key}-{os.getpid()}-", dir=parent))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def commit(staged: Path, script: Path, run_key: str, backend: str | None = None) -> Path:
    """Seal ``staged`` with its manifest, move it into place and drop other entries.

    An entry already there under the same key (a ``--force`` run of the same source) is
    replaced by the new one: swapped in one atomic step where the system can, so a reader
    always finds a whole run; elsewhere moved aside first, then replaced.
    """
    (staged / MANIFEST).write_text(json.dumps(checksums(staged), indent=1))
    final = entry_dir(script, run_key, backend)
    try:
        staged.rename(final)
    except OSError:  # an entry of the same key is there: replace it with this newer run
        replace(staged, final)
    for old in final.parent.iterdir():
        if old != final and not old.name.startswith("."):  # staging folders, the lock
            shutil.rmtree(old, ignore_errors=True)
    return final


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)
