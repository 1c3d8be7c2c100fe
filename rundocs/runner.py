"""Run examples in their own processes, in parallel, through the cache.

``python -m rundocs run [NAME ...]`` brings every example's run up to date: a cached run of
the current source is reused, anything else is executed. All failures are reported, each
naming its example with its traceback, and the command exits non-zero.
"""

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rundocs import EXAMPLES, ROOT, cache
from rundocs.cells import timeout as timeout_of
from rundocs.errors import RunError

DEFAULT_TIMEOUT = 600  # seconds; a script may ask for more with `# rundocs: timeout=N`
LOG_TAIL = 60  # lines of a failed run's output shown in the error


@dataclass
class Outcome:
    name: str
    cached: bool
    seconds: float  # wall time of this call, including process start-up


def examples() -> list[Path]:
    """Every example script: the ``.py`` files in ``examples/`` that are not helper modules."""
    return sorted(p for p in EXAMPLES.glob("*.py") if "# %%" in p.read_text())


def child_env() -> dict:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", TF_CPP_MIN_LOG_LEVEL="2")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def execute(script: Path, folder: Path, limit: int) -> None:
    """Run ``script`` into ``folder`` (which must be empty); raise RunError if it fails."""
    log = folder / "run.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "rundocs.child", str(script), str(folder)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=child_env(), cwd=ROOT, start_new_session=True,
        )
        try:
            status = process.wait(limit)
        except BaseException as stop:  # timeout, or the build itself interrupted
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            if isinstance(stop, subprocess.TimeoutExpired):
                raise RunError(
                    f"examples/{script.name} ran past its time limit of {limit}s and was "
                    f"stopped; if it needs longer, add `# rundocs: timeout=N` to it"
                ) from None
            raise
    if status != 0 or not (folder / "result.json").exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-LOG_TAIL:])
        raise RunError(f"examples/{script.name} failed (exit status {status}):\n{tail}")
    log.unlink()


def run_one(script: Path, timeout: int | None = None, force: bool = False) -> Outcome:
    """Bring one example's run up to date; raise RunError if it fails."""
    started = time.perf_counter()
    run_key = cache.key(script)
    if not force and cache.load(script, run_key):
        return Outcome(script.stem, True, time.perf_counter() - started)
    limit = timeout or timeout_of(script.read_text(), DEFAULT_TIMEOUT)
    staged = cache.staging(script, run_key)
    try:
        execute(script, staged, limit)
    except BaseException:
        cache.discard(staged)
        raise
    result = json.loads((staged / "result.json").read_text())
    result["wall_seconds"] = time.perf_counter() - started
    (staged / "result.json").write_text(json.dumps(result, indent=1))
    cache.commit(staged, script, run_key)
    return Outcome(script.stem, False, time.perf_counter() - started)


def longest_first(scripts: list[Path]) -> list[Path]:
    """Longest-running first keeps every worker busy; the source size is a fair proxy."""
    return sorted(scripts, key=lambda p: -p.stat().st_size)


def run_all(scripts: list[Path], jobs: int, force: bool = False) -> list[Outcome]:
    """Run ``scripts`` on ``jobs`` workers; report each as it ends; raise on any failure."""
    failures, outcomes = [], []

    def work(script):
        try:
            outcome = run_one(script, force=force)
        except RunError as error:
            failures.append(str(error))
            print(f"FAILED {script.stem}", flush=True)
            return
        outcomes.append(outcome)
        state = "cached" if outcome.cached else "ran"
        print(f"{state:>6} {outcome.name} ({outcome.seconds:.1f}s)", flush=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(work, longest_first(scripts)))
    if failures:
        raise RunError("\n\n".join(failures))
    return outcomes
