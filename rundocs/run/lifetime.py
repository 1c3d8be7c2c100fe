"""Processes that end with the one that started them, however it ends (Linux).

``parent_death_signal(SIGNAL)`` looks ``prctl`` up now and returns a function that asks Linux
to send SIGNAL to the calling process when its parent dies, even by SIGKILL: called in the
child itself (an example run) or as a ``preexec_fn`` (the live server), where nothing may be
looked up after the fork. Elsewhere, and where ``prctl`` cannot be found, it does nothing.

``become_subreaper()`` and ``stop_descendants()`` let an example's run end with nothing left
behind: orphaned descendants (a daemon that double-forked, a process in a session of its own)
are handed to the subreaper instead of to init, so it can find and stop every one.
"""

import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def parent_death_signal(signum: int):
    prctl = _prctl()
    if prctl is None:
        return lambda: None
    return lambda: prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


def become_subreaper() -> None:
    """Have Linux hand this process every orphaned descendant, rather than to init."""
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _children(parent: int) -> dict[int, bool]:
    """The processes whose parent is ``parent``: pid -> whether it is still running (not a
    zombie waiting to be reaped)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # it ended while being read
            continue
        if int(fields[1]) == parent:
            found[int(stat.parent.name)] = fields[0] != "Z"
    return found


def stop_descendants() -> int:
    """Kill and reap every descendant of this process; how many were still running.

    Run in a subreaper, this reaches the descendants that were orphaned on the way too: each
    round kills the children, whose own children are then handed to this process.
    """
    stopped = 0
    while children := _children(os.getpid()):
        for pid, running in children.items():
            stopped += running
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # reaped elsewhere (a subprocess object's own wait)
                pass
    return stopped
