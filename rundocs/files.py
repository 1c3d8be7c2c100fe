"""Folders replaced whole: what the run store and the site build share."""

import ctypes
import os
import shutil
from pathlib import Path


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where
    the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, rename_exchange = -100, 2
        return libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b),
                              rename_exchange) == 0
    except (OSError, AttributeError):  # not Linux, or a C library without renameat2
        return False


def replace(new: Path, old: Path) -> None:
    """Put folder ``new`` in the place of folder ``old`` and remove the old one.

    Exchanged in one step where the system can, so a reader of ``old``'s path always finds a
    whole folder; elsewhere the old folder is moved aside first, then replaced.
    """
    if not old.exists():
        new.rename(old)
        return
    if not exchange(new, old):
        aside = new.with_name(new.name + "-old")
        old.rename(aside)
        new.rename(old)
        new = aside
    shutil.rmtree(new, ignore_errors=True)  # now the old folder
