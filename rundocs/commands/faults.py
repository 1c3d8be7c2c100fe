"""One line for a fault of the machine rather than of an example: a read-only, full or
forbidden folder (any ``OSError``), said as the command line says every fault: the path, the
cause and what to do, with no traceback of the engine's internals.
"""

import errno
import shutil
from pathlib import Path

FORBIDDEN = (errno.EROFS, errno.EACCES, errno.EPERM)


def explain(error: OSError, store: Path | None = None, option: str = "") -> str:
    """What ``error`` means to the author, in one line.

    ``store`` is the run store the command writes, if any, and ``option`` how to name another
    one (``RUNDOCS_RUNS``, ``--into``): a fault inside the store says to use another one.
    """
    path = Path(error.filename) if error.filename else store
    cause = error.strerror or str(error) or type(error).__name__
    inside = store is not None and path is not None and (path == store or store in path.parents)
    what = f"the run store {store}" if inside else str(path or "a file")
    if error.errno == errno.ENOSPC:
        elsewhere = f", or point {option} at a folder on another disk" if inside and option else ""
        return (f"the disk is full: no space left to write {what} "
                f"({free(path)} free there); free space on that disk{elsewhere}")
    if error.errno in FORBIDDEN:
        todo = (f"point {option} at a writable folder" if inside and option
                else "make it writable, or work on a copy where it is")
        return f"cannot write {what}: {cause}; {todo}"
    return f"cannot use {what}: {cause}"


def free(path: Path | None) -> str:
    """The free space on the disk of ``path`` (or of its nearest folder that exists)."""
    while path is not None and not path.exists() and path != path.parent:
        path = path.parent
    try:
        return f"{shutil.disk_usage(path or '.').free / 2**20:.0f} MB"
    except OSError:
        return "unknown"
