"""Content-addressed storage of runs.

A run is keyed by everything that can change its output: the example's source, the sources
of the local modules it imports (found by reading its imports), the lock file that pins every
dependency, and the engine code that executes it. An entry is written in a staging folder and
renamed into place only when complete, with a manifest of checksums that is verified on every
read, so a crashed, interrupted or corrupted run is never served.
"""

import ast
import hashlib
import json
import shutil
from pathlib import Path

from rundocs import LOCK_FILE, RUNS

ENGINE_FILES = [Path(__file__).with_name(n) for n in ("child.py", "cells.py", "cache.py")]
MANIFEST = "MANIFEST.json"


def local_imports(script: Path) -> list[Path]:
    """The script and every module of its folder it imports, directly or not, sorted."""
    folder, found, todo = script.parent, set(), [script]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                candidate = folder / (name.split(".")[0] + ".py")
                if candidate.exists():
                    todo.append(candidate)
    return sorted(found)


_keys: dict[tuple, str] = {}


def key(script: Path) -> str:
    """The content hash that names the run of ``script``.

    Memoised on the size and modification time of every file that could enter it, so a page
    that refers to a run many times costs one hash, and an edit is still seen at once.
    """
    files = [*sorted(script.parent.glob("*.py")), LOCK_FILE, *ENGINE_FILES]
    signature = (script, *((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if signature not in _keys:
        _keys[signature] = _hash(script)
    return _keys[signature]


def _hash(script: Path) -> str:
    digest = hashlib.sha256()
    for path in [*local_imports(script), LOCK_FILE, *ENGINE_FILES]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def entry_dir(script: Path, run_key: str) -> Path:
    return RUNS / script.stem / run_key


def _checksums(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != MANIFEST
    }


def load(script: Path, run_key: str) -> Path | None:
    """The verified entry for this key, or None. A corrupt entry is deleted, not trusted."""
    folder = entry_dir(script, run_key)
    if not folder.is_dir():
        return None
    try:
        if json.loads((folder / MANIFEST).read_text()) == _checksums(folder):
            return folder
    except (OSError, ValueError):
        pass
    print(f"rundocs: cache entry {folder} failed its checksum; discarding it and re-running")
    shutil.rmtree(folder, ignore_errors=True)
    return None


def staging(script: Path, run_key: str) -> Path:
    """A fresh, empty folder to run into; ``commit`` moves it into place."""
    folder = RUNS / script.stem / f".staging-{run_key}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def commit(staged: Path, script: Path, run_key: str) -> Path:
    """Seal ``staged`` with its manifest, move it into place and drop older entries."""
    (staged / MANIFEST).write_text(json.dumps(_checksums(staged), indent=1))
    final = entry_dir(script, run_key)
    shutil.rmtree(final, ignore_errors=True)
    staged.rename(final)
    for old in final.parent.iterdir():
        if old != final:
            shutil.rmtree(old, ignore_errors=True)
    return final


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)
