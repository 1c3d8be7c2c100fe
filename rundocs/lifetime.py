"""Processes that end with the one that started them, however it ends (Linux).

``parent_death_signal(SIGNAL)`` looks ``prctl`` up now and returns a function that asks Linux
to send SIGNAL to the calling process when its parent dies, even by SIGKILL: called in the
child itself (an example run) or as a ``preexec_fn`` (the live server), where nothing may be
looked up after the fork. Elsewhere, and where ``prctl`` cannot be found, it does nothing.
"""

import sys


def parent_death_signal(signum: int):
    if not sys.platform.startswith("linux"):
        return lambda: None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return lambda: None
    return lambda: prctl(1, signum, 0, 0, 0)  # PR_SET_PDEATHSIG
