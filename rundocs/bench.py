"""``make bench``: time cold, warm and one-edit builds against the examples' bare run times.

The floor is the sum of the bare runs (``python examples/NAME.py``, one at a time) divided by
the speed-up that running them on the runner's workers actually gives on this machine
(TensorFlow already uses several threads, so two workers on two cores give less than 2x).
Each example is timed bare and under the runner alternately, ``REPEATS`` times, and the
fastest of each is kept: on a shared 2-core machine one run of the 35 s MNIST example varies
by several seconds, and the minimum is the least disturbed measurement (as ``timeit`` does).
The cold build starts with an empty run store and notebook cache; the warm build follows it
with nothing changed. Prints a table and writes ``build/bench.json``; the last line
summarises the ratios the project targets. It moves the caches, the published notebooks
and ``site/`` aside and puts them back, so it leaves no trace.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from rundocs import PUBLISHED, ROOT, RUNS
from rundocs.runner import child_env, examples, longest_first, run_one

JOBS = min(2, os.cpu_count() or 1)
REPEATS = 2
NOTEBOOK_CACHE = ROOT / ".cache" / "mkdocs-jupyter"  # mkdocs-jupyter's rendered pages


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, **kwargs)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def bare_in_parallel(scripts) -> float:
    """Wall time of the bare runs on JOBS workers, in the runner's order: what parallelism buys."""
    started = time.perf_counter()
    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(lambda p: timed([sys.executable, str(p)], env=child_env()),
                      longest_first(scripts)))
    return time.perf_counter() - started


def build() -> float:
    """One full build as `make build` does it: bring runs up to date, then the site."""
    return (timed([sys.executable, "-m", "rundocs", "run", "--jobs", str(JOBS)])
            + timed([sys.executable, "-m", "mkdocs", "build", "--quiet"],
                    env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}))


def bare_and_runner(scripts) -> tuple[dict[str, float], dict[str, float]]:
    """Each example's best time bare and under the runner (process included), run alone."""
    bare, runner = {}, {}
    for _ in range(REPEATS):
        for p in scripts:
            seconds = timed([sys.executable, str(p)], env=child_env())
            bare[p.stem] = min(seconds, bare.get(p.stem, seconds))
            seconds = run_one(p, force=True).seconds
            runner[p.stem] = min(seconds, runner.get(p.stem, seconds))
    return bare, runner


@contextmanager
def set_aside(*folders):
    """Move ``folders`` out of the way for the duration; put them back, however it ends."""
    asides = [f.with_name(f.name + ".bench-aside") for f in folders]
    for folder, aside in zip(folders, asides):
        shutil.rmtree(aside, ignore_errors=True)
        if folder.exists():
            folder.rename(aside)
    try:
        yield
    finally:
        for folder, aside in zip(folders, asides):
            shutil.rmtree(folder, ignore_errors=True)
            if aside.exists():
                aside.rename(folder)


def page_bytes() -> dict[str, int]:
    """Each built page's size; figures are embedded in the HTML, so this includes them."""
    site = ROOT / "site"
    return {str(p.relative_to(site)): p.stat().st_size for p in sorted(site.rglob("index.html"))}


def main() -> None:
    scripts = examples()
    with set_aside(RUNS, NOTEBOOK_CACHE, PUBLISHED, ROOT / "site"):
        bare, runner = bare_and_runner(scripts)
        speedup = sum(bare.values()) / bare_in_parallel(scripts)
        shutil.rmtree(RUNS)
        cold = build()
        warm = build()
        edited = min(scripts, key=lambda p: bare[p.stem])  # the quickest example
        original = edited.read_text()
        try:
            edited.write_text(original + "\n# an edit\n")
            edit_one = build()
        finally:
            edited.write_text(original)
        pages = page_bytes()
    floor = sum(bare.values()) / speedup
    report = {
        "jobs": JOBS, "parallel_speedup": speedup, "cold_s": cold, "warm_s": warm, "edit_one_s": edit_one,
        "edit_one_example": edited.stem, "floor_s": floor, "bare_s": bare,
        "runner_s": runner, "pages_bytes": pages,
    }
    (ROOT / "build" / "bench.json").write_text(json.dumps(report, indent=1))

    print(f"{'example':<28}{'bare s':>9}{'runner s':>10}{'overhead':>10}")
    for name in bare:
        print(f"{name:<28}{bare[name]:>9.1f}{runner[name]:>10.1f}"
              f"{runner[name] - bare[name]:>+10.1f}")
    print(f"\n{'page':<40}{'bytes':>12}")
    for page, size in pages.items():
        print(f"{page:<40}{size:>12,}")
    print(f"\nsum of bare runs {sum(bare.values()):.1f}s; {JOBS} workers run them "
          f"{speedup:.2f}x as fast, so the floor is {floor:.1f}s")
    print(f"cold build {cold:.1f}s, warm build {warm:.1f}s, "
          f"one edit ({edited.stem}) {edit_one:.1f}s")
    worst_overhead = max(runner[n] - bare[n] - max(0.1 * bare[n], 1.0) for n in bare)
    print(
        f"cold/floor {cold / floor:.2f} (target <= 1.25) | warm/cold {warm / cold:.1%} "
        f"(<= 5%) | edit/(bare+warm) {edit_one / (bare[edited.stem] + warm):.2f} (<= 1.15) | "
        f"runner overhead beyond allowance {worst_overhead:+.1f}s (<= 0) | "
        f"largest page {max(pages.values()) / 1e6:.2f} MB (<= 1.5)"
    )


if __name__ == "__main__":
    main()
