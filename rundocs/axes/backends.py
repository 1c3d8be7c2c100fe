"""The numeric back-ends a run can use, and the hardware facts that change its numbers.

The same script with the same seed can give different floats on different kernels, thread
counts and processors. A back-end is a name for environment settings that change the kernels
(the TensorFlow kit, :mod:`rundocs.axes.tensorflow`, adds oneDNN's when a project switches it
on). Everything here that changes numbers enters a run's cache key, and is shown in the
provenance line under every run.
"""

import os
from functools import cache
from pathlib import Path

from rundocs.axes import tensorflow
from rundocs.project import TENSORFLOW

# The back-ends `make check-backends` runs every example under, and an example may ask to be
# shown under with `# rundocs: backends=NAME,...`: name -> (environment, description).
BACKENDS = {"default": ({}, "this machine's default kernels"),
            **(tensorflow.BACKENDS if TENSORFLOW is not None else {})}
# Environment variables that change the numbers a run produces.
NUMERIC_ENV = ("CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS",
               *(tensorflow.NUMERIC_ENV if TENSORFLOW is not None else ()))
# Each run gets one core: the build runs one example per core instead of every example
# starting a thread per core and fighting over them. One thread also makes a run's numbers
# independent of the machine's core count. A variable set in the environment wins.
ONE_THREAD = {**(tensorflow.ONE_THREAD if TENSORFLOW is not None else {}), "OMP_NUM_THREADS": "1"}
# Instruction sets, newest first, with the CPU flags each needs (Linux names).
ISAS = [
    ("AVX-512", {"avx512f", "avx512bw", "avx512vl", "avx512dq"}),
    ("AVX2", {"avx2", "fma"}),
    ("AVX", {"avx"}),
    ("SSE4.1", {"sse4_1"}),
]


@cache
def cpu() -> tuple[str, str]:
    """The CPU's model name and the newest instruction set of ``ISAS`` it supports."""
    model, flags = "unknown CPU", set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            field, _, value = line.partition(":")
            if field.strip() == "model name" and model == "unknown CPU":
                model = value.strip()
            elif field.strip() == "flags" and not flags:
                flags = set(value.split())
    best = next((name for name, needs in ISAS if needs <= flags), "unknown")
    return model, best


def gpus() -> list[str]:
    """NVIDIA GPUs the driver lists (none where there is no driver)."""
    found = sorted(Path("/proc/driver/nvidia/gpus").glob("*/information"))
    names = []
    for info in found:
        for line in info.read_text(errors="replace").splitlines():
            if line.startswith("Model:"):
                names.append(line.split(":", 1)[1].strip())
    return names


def environment(backend: str | None = None) -> dict[str, str]:
    """The numeric settings of this process, with ``backend``'s laid over them."""
    settings = {**ONE_THREAD, **{k: os.environ[k] for k in NUMERIC_ENV if k in os.environ}}
    if backend in BACKENDS:  # another TensorFlow release (tensorflow.versions) keeps the kernels
        settings.update(BACKENDS[backend][0])
    return settings


def kernels(settings: dict[str, str]) -> str | None:
    """Which CPU kernels these settings give on this CPU, in words (None: nothing to say)."""
    if TENSORFLOW is None:
        return None
    return tensorflow.kernels(settings, cpu()[1], [name for name, _ in ISAS])


def fingerprint(backend: str | None = None) -> dict:
    """Everything about the machine and settings that can change a run's numbers."""
    settings = environment(backend)
    model, isa = cpu()
    return {"cpu": model, "isa": isa, "cores": os.cpu_count(), "gpus": gpus(),
            "kernels": kernels(settings), "settings": settings}


def describe(facts: dict) -> str:
    """``AMD EPYC (2 cores, 1 thread per run; oneDNN, AVX-512)``: where a run ran, in words."""
    kernels = f"; {facts['kernels']}" if facts.get("kernels") else ""
    gpu = f"; GPU {', '.join(facts['gpus'])}" if facts.get("gpus") else ""
    settings = facts.get("settings", {})
    threads = settings.get("TF_NUM_INTRAOP_THREADS", settings.get("OMP_NUM_THREADS"))
    used = f", {threads} thread{'s' * (threads != '1')} per run" if threads else ""
    return f"{facts['cpu']} ({facts['cores']} cores{used}{kernels}{gpu})"
