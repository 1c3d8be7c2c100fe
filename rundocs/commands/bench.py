"""``make bench``: time cold, warm and one-edit builds against the physical floor.

The floor is what the examples cost the CPU, spread over every core: the CPU seconds of the
bare runs (each run a build makes, executed alone by the engine's child process with the
runner's settings and without its cache or scheduling) divided by the number of cores. A cold
build cannot beat it; the gap is start-up, idle cores at the end and the site build. The bench
also makes a second cold build with the other way to use the cores (one worker whose run gets
every core as threads) so the choice the runner makes, one single-threaded worker per core, is
measured, not assumed. The cold build starts with an empty run store; the warm build follows
with nothing changed; the edit build follows a change to the quickest example. Prints a table
and writes ``build/bench.json``. It moves the run store, the published files and ``site/``
aside and puts them back, so it leaves no trace.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from rundocs.commands.build import site_dir
from rundocs.errors import RunError
from rundocs.project import BUILD, CONFIG, PUBLISHED, ROOT, RUNS
from rundocs.run.cells import backends
from rundocs.store import cache
from rundocs.store.runner import DEFAULT_TIMEOUT, examples, execute

CORES = os.cpu_count() or 1
SITE = site_dir(CONFIG)


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (all its processes and threads) of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, env={**(env or os.environ), "NO_MKDOCS_2_WARNING": "1"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bare_run(script, backend: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``script`` as the runner executes it, uncached."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        try:
            execute(script, Path(out), DEFAULT_TIMEOUT, backend)
        except RunError as error:
            raise SystemExit(f"rundocs: {error}") from None
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build(*run_args: str, env: dict | None = None) -> float:
    """One full build as `make build` does it: bring runs up to date, then the site."""
    runs = timed([sys.executable, "-m", "rundocs", "run", *run_args], env)[0]
    if "--no-publish" in run_args:
        return runs
    return runs + timed([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(CONFIG)])[0]


@contextmanager
def set_aside(*folders):
    """Move ``folders`` out of the way (into build/, out of docs/) and put them back after."""
    asides = [BUILD / f"bench-aside-{n}" for n in range(len(folders))]
    for folder, aside in zip(folders, asides):
        shutil.rmtree(aside, ignore_errors=True)
        aside.parent.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            folder.rename(aside)
    try:
        yield
    finally:
        for folder, aside in zip(folders, asides):
            shutil.rmtree(folder, ignore_errors=True)
            if aside.exists():
                aside.rename(folder)


def site_bytes() -> dict[str, int]:
    """Each built page's size, and the whole site's under ``(site)``."""
    site = SITE
    pages = {str(p.relative_to(site)): p.stat().st_size for p in sorted(site.rglob("*.html"))}
    pages["(site)"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return pages


def main() -> None:
    scripts = examples()
    with set_aside(RUNS, PUBLISHED, SITE):
        bare = {}  # every run a build makes, other back-ends an example asks for included
        for p in scripts:
            for backend in [None, *backends(p.read_text())]:
                bare[cache.run_name(p, backend)] = bare_run(p, backend)
        cold = build()
        warm = build()
        edited = min(scripts, key=lambda p: bare[p.stem][0])  # the quickest example
        original = edited.read_text()
        try:
            edited.write_text(original + "\n# an edit\n")
            edit_one = build()
        finally:
            edited.write_text(original)
        sizes = site_bytes()
        threads = {k: str(CORES) for k in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
                                           "OMP_NUM_THREADS")}
        with tempfile.TemporaryDirectory() as store:
            threaded = build("--jobs", "1", "--no-publish",
                             env={**os.environ, **threads, "RUNDOCS_RUNS": store})
    cpu = sum(c for _, c in bare.values())
    floor = cpu / CORES
    report = {"cores": CORES, "floor_s": floor, "cold_s": cold, "warm_s": warm,
              "edit_one_s": edit_one, "edit_one_example": edited.stem,
              "cold_runs_1_worker_x_all_threads_s": threaded,
              "bare_wall_s": {n: w for n, (w, _) in bare.items()},
              "bare_cpu_s": {n: c for n, (_, c) in bare.items()}, "bytes": sizes}
    (BUILD / "bench.json").write_text(json.dumps(report, indent=1))

    print(f"{'example':<28}{'bare wall s':>12}{'bare CPU s':>12}")
    for name, (wall, cpu_s) in bare.items():
        print(f"{name:<28}{wall:>12.1f}{cpu_s:>12.1f}")
    print(f"\n{'file':<40}{'bytes':>12}")
    for page, size in sizes.items():
        print(f"{page:<40}{size:>12,}")
    largest = max(v for k, v in sizes.items() if k != "(site)")
    print(f"\nbare runs cost {cpu:.1f} CPU s; over {CORES} cores the floor is {floor:.1f}s")
    print(f"cold build {cold:.1f}s ({CORES} workers x 1 thread); the runs alone with 1 worker x "
          f"{CORES} threads {threaded:.1f}s; warm build {warm:.1f}s; one edit ({edited.stem}) "
          f"{edit_one:.1f}s")
    print(
        f"cold/floor {cold / floor:.2f} (target <= 1.15) | warm/cold {warm / cold:.1%} (<= 5%) | "
        f"edit/(bare+warm) {edit_one / (bare[edited.stem][0] + warm):.2f} (<= 1.15) | "
        f"largest page {largest / 1e3:.0f} KB (<= 200) | "
        f"site {sizes['(site)'] / 1e6:.1f} MB (<= 13)"
    )


if __name__ == "__main__":
    main()
