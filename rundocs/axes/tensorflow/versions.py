"""Other TensorFlow releases a run can use, each from a hash-pinned lock of its own.

A reader runs a notebook on the TensorFlow that is there, not on this project's lock. Each
``locks/NAME.lock`` (compiled by ``make lock`` from ``locks/NAME.in``, as the main lock is)
pins one release with the Keras and NumPy a fresh install of it brings. A run under a release
is made by that environment's Python (``build/versions/NAME/venv``, installed from the lock
the first time it is needed, and again when the lock changes) and keyed by its lock instead
of ``requirements.lock``. ``make check-versions`` runs every example under each release of
:data:`CHECKED` (:mod:`rundocs.commands.matrix`); an example shows its run under one with
``# rundocs: backends=NAME``, as it does for a kernel back-end.
"""

import fcntl
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from rundocs.errors import RunError
from rundocs.project import BUILD, LOCK_FILE, ROOT, TENSORFLOW, shown

KIT = TENSORFLOW or {}
LOCKS = ROOT / KIT.get("releases", "locks")  # NAME.lock, one per release
ENVIRONMENTS = BUILD / "versions"
# The release that runs without a back-end of their own are made under (`make check-versions`
# sets it for a whole store, as `--backend` sets kernel settings); unset: the main lock's.
ACTIVE = "RUNDOCS_TENSORFLOW"
# The releases `make check-versions` runs every example under, beside the locked one (the
# project's settings say which, and why).
CHECKED = tuple(KIT.get("checked", ()))
PINNED = ("tensorflow-cpu", "keras", "numpy")  # what a release's description names


def known() -> list[str]:
    """Every release with a lock in ``locks/`` (none where the kit is off)."""
    return sorted(p.stem for p in LOCKS.glob("*.lock")) if TENSORFLOW is not None else []


def release(backend: str | None = None) -> str | None:
    """The release a run under ``backend`` uses: that one, if it is a release; else the one
    ``RUNDOCS_TENSORFLOW`` names; else None (the main lock's)."""
    if TENSORFLOW is None:
        return None
    if backend and (LOCKS / f"{backend}.lock").is_file():
        return backend
    return os.environ.get(ACTIVE) or None


def lock(backend: str | None = None) -> Path:
    """The lock file that pins a run under ``backend``: it is part of the run's key."""
    name = release(backend)
    if name is None:
        return LOCK_FILE
    path = LOCKS / f"{name}.lock"
    if not path.is_file():
        raise RunError(f"there is no TensorFlow release '{name}': no {shown(path)} "
                       f"(releases: {', '.join(known()) or 'none'})")
    return path


def pins(path: Path) -> dict[str, str]:
    """``{package: version}`` of a lock file."""
    return dict(re.findall(r"^([\w.-]+)==([^\s;\\]+)", path.read_text(), re.MULTILINE))


def describe(backend: str | None = None) -> str:
    """``TensorFlow 2.16.2, Keras 3.15.1, NumPy 1.26.4``: what a run under ``backend`` uses."""
    found = pins(lock(backend))
    names = {"tensorflow-cpu": "TensorFlow", "keras": "Keras", "numpy": "NumPy"}
    return ", ".join(f"{names[p]} {found[p]}" for p in PINNED if p in found)


def python(backend: str | None = None) -> str:
    """The interpreter that runs an example under ``backend``: this one for the main lock;
    otherwise its release's environment, installed from its lock first where it is missing
    or was installed from another lock."""
    name = release(backend)
    if name is None:
        return sys.executable
    path = lock(name)
    folder = ENVIRONMENTS / name
    folder.mkdir(parents=True, exist_ok=True)
    venv, stamp = folder / "venv", folder / "venv.lock-sha256"
    wanted = hashlib.sha256(path.read_bytes()).hexdigest()
    with open(folder / ".lock", "w") as held:  # parallel runs install it once
        fcntl.flock(held, fcntl.LOCK_EX)
        if not (stamp.is_file() and stamp.read_text() == wanted and (venv / "bin/python").exists()):
            stamp.unlink(missing_ok=True)
            print(f"   installing {name} ({describe(name)}) from {shown(path)} "
                  f"into {shown(venv)}", flush=True)
            steps = [[sys.executable, "-m", "venv", "--clear", str(venv)],
                     [str(venv / "bin/python"), "-m", "pip", "install", "--quiet",
                      "--disable-pip-version-check", "--require-hashes", "--no-deps",
                      "-r", str(path)]]
            for step in steps:
                done = subprocess.run(step, capture_output=True, text=True,
                                      stdin=subprocess.DEVNULL)
                if done.returncode:
                    tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
                    raise RunError(f"could not install {name} from {shown(path)} "
                                   f"into {shown(venv)} (`{' '.join(step[2:5])} "
                                   f"…` exit status {done.returncode}); it needs the package "
                                   f"index once:\n{tail}")
            # Byte-compiled once here, or every run compiles TensorFlow's sources again (its
            # status is not checked: a release may ship a file this Python cannot compile).
            subprocess.run([str(venv / "bin/python"), "-m", "compileall", "-q", "-j", "0",
                            str(venv / "lib")], capture_output=True, stdin=subprocess.DEVNULL)
            stamp.write_text(wanted)
    return str(venv / "bin/python")
