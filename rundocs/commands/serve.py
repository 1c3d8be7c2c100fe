"""``make serve``: the site's live preview, with examples re-run when they are saved.

MkDocs' own server rebuilds the site when anything under ``docs/`` changes. Beside it, a
watcher (watchdog, which MkDocs itself uses) follows ``examples/``: when a script is saved it
re-runs that example alone and publishes its run into ``docs/examples/``, and that change is
what makes the server rebuild, so the pages show the new run without a restart and with no
MkDocs plugin or hook. A failing edit prints its traceback here and publishes nothing, so the
last good pages stay up.
"""

import errno
import ipaddress
import queue
import signal
import socket
import subprocess
import sys
import time

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from rundocs.errors import RunError
from rundocs.project import CONFIG, EXAMPLES
from rundocs.publish.update import update
from rundocs.run.lifetime import parent_death_signal
from rundocs.store.runner import examples

SERVER = [sys.executable, "-m", "mkdocs", "serve"]  # the live server, given --dev-addr
QUIET = 0.3  # seconds without a new save before running: editors write a file in steps


class Saved(FileSystemEventHandler):
    """Puts the name of every example script that is written or moved into place on a queue."""

    def __init__(self, names: queue.Queue):
        self.names = names

    def on_any_event(self, event):
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if str(path).endswith(".py") and event.event_type in ("modified", "created", "moved"):
                self.names.put(str(path).rsplit("/", 1)[-1][:-3])


def rerun(names: set[str]) -> None:
    scripts = [p for p in examples() if p.stem in names]  # helpers and deletions are skipped
    if not scripts:
        return
    started = time.perf_counter()
    try:
        update(scripts, jobs=len(scripts))
    except Exception as error:  # noqa: BLE001 - whatever an edit breaks, the server stays up
        shown = error if isinstance(error, RunError) else f"{type(error).__name__}: {error}"
        print(f"\nrundocs: {shown}\nrundocs: the pages keep showing the last good run.",
              file=sys.stderr, flush=True)
        return
    print(f"rundocs: published {', '.join(sorted(names))} "
          f"({time.perf_counter() - started:.1f}s); the server rebuilds the pages", flush=True)


def unusable(address: str) -> str | None:
    """Why the server cannot listen on ``address``, or None if it can.

    Checked before anything starts: MkDocs would build the whole site first and only then
    fail on the address, with a traceback. The address is read as MkDocs reads it (an IP
    address or ``localhost``, a colon, a port) and bound as its server binds it.
    """
    host, _, port = address.rpartition(":")
    try:
        family = (socket.AF_INET if host == "localhost" else
                  socket.AF_INET6 if ipaddress.ip_address(host.strip("[]")).version == 6
                  else socket.AF_INET)
    except ValueError:
        family = None
    if family is None or not port.isdigit() or int(port) > 65535:
        return (f"--dev-addr {address!r} is not HOST:PORT with HOST an IP address or localhost "
                "(say 127.0.0.1:8000)")
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
        try:
            probe.bind((host.strip("[]"), int(port)))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (f"{address} is in use: stop the other server, or serve on another "
                        "address with --dev-addr HOST:PORT")
            return (f"cannot serve on {address}: {error.strerror}; pick another address with "
                    "--dev-addr HOST:PORT")
    return None


def _stop(signum, frame):
    raise SystemExit(0)  # so that SIGTERM, like Ctrl-C, takes the server down with it


def serve(address: str) -> int:
    """Run ``mkdocs serve`` and the watcher until the server stops, Ctrl-C or SIGTERM.

    However this process ends, the server ends with it: on Ctrl-C or SIGTERM it is stopped
    here, and if this process is killed outright Linux stops it (a parent-death signal).
    An address it cannot listen on is refused first, in one line.
    """
    refused = unusable(address)
    if refused:
        print(f"rundocs: {refused}", file=sys.stderr)
        return 1
    saved: queue.Queue = queue.Queue()
    previous = signal.signal(signal.SIGTERM, _stop)
    server = subprocess.Popen([*SERVER, "--dev-addr", address, "-f", str(CONFIG)],  # before
                              preexec_fn=parent_death_signal(signal.SIGTERM))  # any thread
    observer = Observer()
    try:
        observer.schedule(Saved(saved), str(EXAMPLES))
        observer.start()
        print(f"rundocs: watching {EXAMPLES}/ for saved examples", flush=True)
        while server.poll() is None:
            try:
                names = {saved.get(timeout=0.5)}
            except queue.Empty:
                continue
            while True:  # wait for the writes to settle, gathering every script saved
                try:
                    names.add(saved.get(timeout=QUIET))
                except queue.Empty:
                    break
            rerun(names)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if observer.is_alive():
            observer.stop()
        server.terminate()
        server.wait()
    return server.returncode if server.returncode and server.returncode > 0 else 0
