"""Run examples in their own processes, in parallel, through the cache.

``python -m rundocs run [NAME ...]`` brings every example's run up to date: a cached run of
the current source is reused, anything else is executed. All failures are reported, each
naming its example with its traceback, and the command exits non-zero.
"""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from rundocs.axes import backends
from rundocs.axes.tensorflow import versions
from rundocs.errors import RunError
from rundocs.project import EXAMPLES, LESSONS, ROOT
from rundocs.run.cells import backends as backends_of
from rundocs.run.cells import memory as memory_of
from rundocs.run.cells import misread_setting, split
from rundocs.run.cells import output as output_of
from rundocs.run.cells import timeout as timeout_of
from rundocs.run.child import ENVIRONMENT
from rundocs.run.names import misnamed
from rundocs.store import cache

DEFAULT_TIMEOUT = 600  # seconds; a script may ask for more with `# rundocs: timeout=N`
DEFAULT_OUTPUT = 20  # MB a run may print; a script may ask for more with `# rundocs: output=N`
LOG_TAIL = 60  # lines of a failed run's output shown in the error
TAIL_BYTES = 64 * 1024  # read from the end of a failed run's log, however long the log


@dataclass
class Outcome:
    name: str
    cached: bool
    seconds: float  # wall time of this call, including process start-up
    why: str = ""  # what made it run: "the script changed", "no run yet", "--force"
    stopped: int = 0  # processes the example left running, which the engine stopped


def examples() -> list[Path]:
    """Every example script: the ``.py`` files in ``examples/`` that are not helper modules."""
    return sorted(p for p in EXAMPLES.glob("*.py")
                  if "# %%" in p.read_text(encoding="utf-8", errors="replace"))


ENGINE_PARENT = Path(__file__).resolve().parent.parent.parent  # the folder holding rundocs/


def child_env(backend: str | None = None) -> dict:
    env = {**os.environ, **ENVIRONMENT}
    env.update(backends.environment(backend))
    # The engine, for a release's Python that does not have it installed; and the project, as
    # the run's folder is not inside it.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ENGINE_PARENT), env.get("PYTHONPATH")]))
    env["RUNDOCS_PROJECT"] = str(ROOT)
    return env


def under(backend: str | None) -> str:
    """What a run under ``backend`` differs by, in words: its kernels or its release."""
    if backend in backends.BACKENDS:
        return backends.BACKENDS[backend][1]
    return versions.describe(backend)


def check_script(script: Path) -> None:
    """Raise RunError naming the file (and line) if ``script`` cannot be run as an example: a
    bad name, a ``# rundocs:`` setting that does not parse, a cell that is not valid Python."""
    try:
        text = script.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RunError(f"{LESSONS}/{script.name} is not UTF-8 text (byte {error.start}): save it "
                       "as UTF-8, the encoding Python reads a script in") from None
    if problem := misnamed(script):
        raise RunError(problem)
    if problem := misread_setting(text):
        raise RunError(f"{LESSONS}/{script.name}, {problem}")
    for cell in split(text):
        if cell.kind != "code":
            continue
        try:  # compiled as the child compiles it: one cell at a time, at its own lines
            compile("\n" * (cell.first_line - 1) + cell.source, str(script), "exec")
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None) or cell.first_line
            text = (getattr(error, "text", None) or "").strip()
            raise RunError(f"{LESSONS}/{script.name}, line {line}: syntax error: "
                           f"{getattr(error, 'msg', error)}"
                           + (f"\n    {text}" if text else "")) from None


RUNNING: dict[int, subprocess.Popen] = {}  # the example processes this engine is waiting on
STOPPING = threading.Event()  # set when the build is interrupted: the runs are being stopped


def kill_family(pid: int) -> None:
    """Kill the process ``pid``, its process group and every descendant it has now, even
    those that left the group for a session of their own."""
    try:
        family = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        family = []
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for member in family:
        try:
            member.kill()
        except psutil.Error:
            pass


def stop_running() -> None:
    """Kill every example process (and its own children) this engine started."""
    STOPPING.set()
    for pid in list(RUNNING):
        kill_family(pid)


class OverMemory(Exception):
    """An example's processes together held more memory than its ``# rundocs: memory=N``."""

    def __init__(self, megabytes: float):
        self.megabytes = megabytes


class OverOutput(Exception):
    """An example printed more than its ``# rundocs: output=N`` (or the default) allows."""


def resident_mb(process: subprocess.Popen) -> float:
    """The memory ``process`` and its children hold now (resident set), in MB."""
    try:
        root = psutil.Process(process.pid)
        family = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for member in family:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def _wait(process: subprocess.Popen, limit: float, memory: int | None = None,
          log=None, output: int | None = None) -> tuple[int, float]:
    """Wait for ``process`` at most ``limit`` seconds: (exit status, its peak memory in MB).

    A negative status is the signal that ended it, as ``Popen.returncode`` gives it. With
    ``memory`` (MB), its memory is looked at every tenth of a second at most, and
    :class:`OverMemory` raised once it holds more; with ``output`` (MB), the size of ``log``,
    and :class:`OverOutput` raised once it is larger.
    """
    deadline, pause = time.monotonic() + limit, 0.005
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage.ru_maxrss / 1024
        if time.monotonic() >= deadline:
            raise subprocess.TimeoutExpired(process.args, limit)
        if memory and (held := resident_mb(process)) > memory:
            raise OverMemory(held)
        if output and os.fstat(log.fileno()).st_size > output * 2**20:
            raise OverOutput
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def tail(log: Path, lines: int = LOG_TAIL) -> str:
    """The last ``lines`` lines of ``log``, reading only its last ``TAIL_BYTES``."""
    with open(log, "rb") as text:
        size = text.seek(0, os.SEEK_END)
        text.seek(max(size - TAIL_BYTES, 0))
        end = text.read().decode("utf-8", "replace")
    return "\n".join(end.splitlines()[-lines:])


def workplace(script: Path) -> tuple[Path, Path]:
    """A fresh folder to run ``script`` in, holding a copy of it and of the helper modules it
    imports, as a reader's empty folder would after downloading them: (the folder to remove
    afterwards, the copy of the script). Its parent is the run's too, so ``..`` is empty."""
    top = Path(tempfile.mkdtemp(prefix="rundocs-run-"))
    work = top / "run"
    work.mkdir()
    for path in cache.local_imports(script):
        shutil.copyfile(path, work / path.name)
    return top, work / script.name


def stopped_early(stop: BaseException, script: Path, limit: int, memory: int | None,
                  output: int) -> RunError | None:
    """The message for a run the engine stopped (its time, memory or output limit), or None
    when it was stopped because the build itself was interrupted."""
    if isinstance(stop, subprocess.TimeoutExpired):
        asked = timeout_of(script.read_text(encoding="utf-8"), None) is not None
        todo = ("raise its `# rundocs: timeout=N`" if asked
                else "add `# rundocs: timeout=N` to it")
        return RunError(f"{LESSONS}/{script.name} ran past its time limit of {limit}s and was "
                        f"stopped; if it needs longer, {todo}")
    if isinstance(stop, OverMemory):
        return RunError(f"{LESSONS}/{script.name} held {stop.megabytes:.0f} MB, over its memory "
                        f"cap of {memory} MB (`# rundocs: memory={memory}`), and was stopped; "
                        "make it use less, or raise the cap")
    if isinstance(stop, OverOutput):
        return RunError(f"{LESSONS}/{script.name} printed more than {output} MB and was stopped; "
                        "print less (a page shows a few screens at most), or raise the limit "
                        "with `# rundocs: output=N` (MB)")
    return None


def failed(script: Path, status: int, peak: float, log: Path, work: Path,
           backend: str | None) -> RunError:
    """The message for a run that ended in failure: its status and the end of its output."""
    shown = tail(log).replace(f"{work}{os.sep}", f"{LESSONS}{os.sep}")
    where = f" under {under(backend)}" if backend or versions.release() else ""
    if "[Errno 28]" in shown:  # ENOSPC: no word of the example's own can help
        return RunError(f"{LESSONS}/{script.name} could not finish{where}: the disk is full "
                        f"({os.strerror(errno.ENOSPC)}, while writing its run into "
                        f"{log.parent.parent}): free some space and run it again")
    if status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else "?"
        return RunError(f"{LESSONS}/{script.name}{where} was killed by signal {-status} ({name})"
                        + (", most likely for memory" if -status == signal.SIGKILL else "")
                        + f"; peak {peak:.0f} MB:\n{shown}")
    return RunError(f"{LESSONS}/{script.name} failed{where} (exit status {status}):\n{shown}")


def execute(script: Path, folder: Path, limit: int, backend: str | None = None,
            memory: int | None = None, output: int = DEFAULT_OUTPUT) -> None:
    """Run ``script`` into ``folder`` (which must be empty); raise RunError if it fails.

    It runs in a fresh folder of its own (:func:`workplace`), removed afterwards with all it
    wrote there. With ``memory`` (MB, from ``# rundocs: memory=N``) it is stopped once it holds
    more, and once it has printed more than ``output`` MB.

    The example runs in a process group of its own, which is killed (descendants that left it
    too) if the build is interrupted; the child also dies with the engine if the engine itself
    is killed (``rundocs.run.child`` asks Linux for that, naming this process in
    ``RUNDOCS_PARENT``), and stops whatever it started that is still running when it ends.
    """
    log = folder / "run.log"
    interpreter = versions.python(backend)  # another TensorFlow release's, where asked
    top, copy = workplace(script)
    try:
        with open(log, "a+b") as out:  # read back by the child, to tell its cells' output apart
            process = subprocess.Popen(
                [interpreter, "-m", "rundocs.run.child", str(copy), str(folder)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**child_env(backend), "RUNDOCS_PARENT": str(os.getpid())}, cwd=copy.parent,
                start_new_session=True,
            )
            RUNNING[process.pid] = process
            try:
                if STOPPING.is_set():
                    raise KeyboardInterrupt
                status, peak = _wait(process, limit, memory, out, output)
            except BaseException as stop:  # a limit reached, or the build itself interrupted
                kill_family(process.pid)
                if process.returncode is None:
                    process.wait()
                raise stopped_early(stop, script, limit, memory, output) or stop from None
            finally:
                RUNNING.pop(process.pid, None)
        if status != 0 or not (folder / "result.json").exists():
            raise failed(script, status, peak, log, copy.parent, backend)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    log.unlink()


class Concurrency:
    """Counts the runs executing at once in this process; each run learns the most it saw."""

    def __init__(self):
        self.lock, self.peaks = threading.Lock(), {}

    @contextmanager
    def running(self):
        """Yields a dict whose "peak" is the most runs executing at once during the block."""
        mine = {"peak": 0}
        with self.lock:
            self.peaks[id(mine)] = mine
            for peak in self.peaks.values():
                peak["peak"] = max(peak["peak"], len(self.peaks))
        try:
            yield mine
        finally:
            with self.lock:
                del self.peaks[id(mine)]


CONCURRENCY = Concurrency()


class Progress:
    """Every ``every`` seconds, while runs execute, one line: which, for how long, against
    how long their last run took."""

    def __init__(self, every: float = 15.0):
        self.every, self.running, self.lock = every, {}, threading.Lock()
        self.stop = threading.Event()

    @contextmanager
    def shown(self):
        self.stop = threading.Event()
        ticker = threading.Thread(target=self._tick, daemon=True)
        ticker.start()
        try:
            yield self
        finally:
            self.stop.set()
            ticker.join()

    @contextmanager
    def run(self, name: str, last: float | None):
        with self.lock:
            self.running[name] = (time.perf_counter(), last)
        try:
            yield
        finally:
            with self.lock:
                del self.running[name]

    def line(self) -> str:
        now, parts = time.perf_counter(), []
        with self.lock:
            for name, (start, last) in sorted(self.running.items()):
                against = f" of ~{last:.0f}s last time" if last else " (first run)"
                parts.append(f"{name} {now - start:.0f}s{against}")
        return "running: " + "; ".join(parts) if parts else ""

    def _tick(self):
        while not self.stop.wait(self.every):
            if line := self.line():
                print(f"  … {line}", flush=True)


PROGRESS = Progress()


def run_one(script: Path, timeout: int | None = None, force: bool = False,
            backend: str | None = None) -> Outcome:
    """Bring one example's run (under ``backend``, if given) up to date; raise on failure."""
    if backend and backend not in backends.BACKENDS and backend not in versions.known():
        raise RunError(f"{LESSONS}/{script.name} asks for an unknown back-end '{backend}' "
                       f"(back-ends: {', '.join(backends.BACKENDS)}"
                       + (f"; TensorFlow releases: {', '.join(versions.known())})"
                          if versions.known() else ")"))
    started = time.perf_counter()
    name, run_key = cache.run_name(script, backend), cache.key(script, backend)
    if not force and cache.load(script, run_key, backend):
        return Outcome(name, True, time.perf_counter() - started)
    with cache.locked(script, backend):  # another build may be making this very run
        if not force and cache.load(script, run_key, backend):
            return Outcome(name, True, time.perf_counter() - started,
                           "made by another build meanwhile")
        reason = "--force" if force else cache.why(script, backend)
        check_script(script)
        text = script.read_text(encoding="utf-8")
        limit = timeout or timeout_of(text, DEFAULT_TIMEOUT)
        staged = cache.staging(script, run_key, backend)
        try:
            last = cache.last_seconds(script, backend)
            with CONCURRENCY.running() as seen, PROGRESS.run(name, last):
                execute(script, staged, limit, backend, memory=memory_of(text),
                        output=output_of(text, DEFAULT_OUTPUT))
        except BaseException:
            cache.discard(staged)
            raise
        result = json.loads((staged / "result.json").read_text())
        result["wall_seconds"] = time.perf_counter() - started
        result["concurrent_runs"] = seen["peak"]
        result["inputs"] = cache.inputs(script, backend)
        (staged / "result.json").write_text(json.dumps(result, indent=1))
        cache.commit(staged, script, run_key, backend)
    return Outcome(name, False, time.perf_counter() - started, reason,
                   result.get("stopped_processes", 0))


def estimate(job: tuple[Path, str | None]) -> float:
    """Seconds a run should take: its last time where there is one; otherwise the source's
    size, at about 1 s per kilobyte."""
    return cache.last_seconds(*job) or job[0].stat().st_size / 1000


def longest_first(jobs: list[tuple[Path, str | None]]) -> list[tuple[Path, str | None]]:
    """Longest-running first keeps every worker busy to the end."""
    return sorted(jobs, key=lambda job: -estimate(job))


def shard(jobs: list[tuple[Path, str | None]], part: int,
          parts: int) -> list[tuple[Path, str | None]]:
    """Share ``part`` (1-based) of ``parts``: the runs dealt longest first, each to the share
    with the least estimated time so far, so the shares take about as long as each other.

    The deal depends only on the runs and their stored times, so every machine holding the
    same store deals the same shares, and the shares together are every run exactly once.
    """
    totals, shares = [0.0] * parts, [[] for _ in range(parts)]
    for job in longest_first(jobs):
        least = totals.index(min(totals))
        shares[least].append(job)
        totals[least] += estimate(job)
    return shares[part - 1]


def say(line: str) -> None:
    """Print one whole line in one write, so lines of parallel runs never interleave."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_all(scripts: list[Path], jobs: int, force: bool = False,
            part: tuple[int, int] | None = None) -> list[Outcome]:
    """Run ``scripts`` on ``jobs`` workers; report each as it ends; raise on any failure.

    With ``part`` = (K, N), only share K of N of the runs (:func:`shard`).
    """
    failures, outcomes, failed = [], [], set()

    def work(job):
        script, backend = job
        if STOPPING.is_set():
            return
        try:
            outcome = run_one(script, force=force, backend=backend)
        except RunError as error:
            if STOPPING.is_set():  # stopped by the interrupt, not failed
                return
            failures.append(str(error))
            failed.add(script.stem)
            say(f"FAILED {cache.run_name(script, backend)}")
            return
        outcomes.append(outcome)
        if not outcome.cached:  # the cached ones are counted in one line at the end
            why = f": {outcome.why}" if outcome.why else ""
            left = (f"; it left {outcome.stopped} process{'es' * (outcome.stopped > 1)} "
                    "running, which the engine stopped") if outcome.stopped else ""
            say(f"   ran {outcome.name} ({outcome.seconds:.1f}s){why}{left}")

    runs = [(script, backend) for script in scripts
            for backend in [None, *backends_of(script.read_text(encoding="utf-8"))]]
    if part:
        runs = shard(runs, *part)
        say(f"share {part[0]} of {part[1]}: {len(runs)} runs "
            f"({', '.join(cache.run_name(*job) for job in runs) or 'none'})")
    STOPPING.clear()
    with PROGRESS.shown(), ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            list(pool.map(work, longest_first(runs)))
        except BaseException:  # Ctrl-C: stop the examples now rather than wait for them
            stop_running()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    cached = sorted(o.name for o in outcomes if o.cached)
    if cached:
        everything = len(cached) == len(runs)
        say(f"{'all ' * everything}{len(cached)} run{'s' * (len(cached) > 1)} up to date "
            f"(cached){': nothing ran' if everything else ''}")
    if failures:
        error = RunError("\n\n".join(failures))
        error.failed = failed  # the examples with a failed run; the others are up to date
        raise error
    return outcomes
