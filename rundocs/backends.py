"""The numeric back-ends a run can use, and the hardware facts that change its numbers.

The same script with the same seed gives different floats on different kernels: oneDNN picks
vector code by the CPU's instruction set (``ONEDNN_MAX_CPU_ISA`` caps it), and
``TF_ENABLE_ONEDNN_OPTS=0`` swaps oneDNN for Eigen. Everything here that changes numbers enters
a run's cache key, and is shown in the provenance line under every run.
"""

import os
from functools import cache
from pathlib import Path

# The back-ends `make check-backends` runs every example under, and an example may ask to be
# shown under with `# rundocs: backends=NAME,...`: name -> (environment, description).
BACKENDS = {
    "default": ({}, "this machine's default kernels"),
    "avx2": ({"ONEDNN_MAX_CPU_ISA": "AVX2"}, "oneDNN held to AVX2"),
    "sse41": ({"ONEDNN_MAX_CPU_ISA": "SSE41"}, "oneDNN held to SSE4.1"),
    "onednn-off": ({"TF_ENABLE_ONEDNN_OPTS": "0"}, "oneDNN off (Eigen kernels)"),
}
# Environment variables that change the numbers a run produces.
NUMERIC_ENV = ("TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA", "CUDA_VISIBLE_DEVICES",
               "TF_DETERMINISTIC_OPS", "OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
               "TF_NUM_INTEROP_THREADS")
# Each run gets one core: the build runs one example per core instead of every example
# starting a thread per core and fighting over them. One thread also makes a run's numbers
# independent of the machine's core count. A variable set in the environment wins.
ONE_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"}
# oneDNN's instruction sets, newest first, with the CPU flags each needs (Linux names).
ISAS = [
    ("AVX-512", {"avx512f", "avx512bw", "avx512vl", "avx512dq"}),
    ("AVX2", {"avx2", "fma"}),
    ("AVX", {"avx"}),
    ("SSE4.1", {"sse4_1"}),
]
CAPS = {"SSE41": "SSE4.1", "AVX": "AVX", "AVX2": "AVX2"}  # ONEDNN_MAX_CPU_ISA -> ISAS name


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
    if backend in BACKENDS:  # another TensorFlow release (rundocs.versions) keeps the kernels
        settings.update(BACKENDS[backend][0])
    return settings


def kernels(settings: dict[str, str]) -> str:
    """Which CPU kernels these settings give on this CPU, in words."""
    if settings.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        return "oneDNN off (Eigen kernels)"
    isa = cpu()[1]
    cap = CAPS.get(settings.get("ONEDNN_MAX_CPU_ISA", "").upper())
    names = [name for name, _ in ISAS]
    if cap in names and isa in names and names.index(cap) > names.index(isa):
        isa = cap
    return f"oneDNN, {isa}"


def fingerprint(backend: str | None = None) -> dict:
    """Everything about the machine and settings that can change a run's numbers."""
    settings = environment(backend)
    model, isa = cpu()
    return {"cpu": model, "isa": isa, "cores": os.cpu_count(), "gpus": gpus(),
            "kernels": kernels(settings), "settings": settings}


def describe(facts: dict) -> str:
    """``AMD EPYC (2 cores, 1 thread per run; oneDNN, AVX-512)``: where a run ran, in words."""
    gpu = f"; GPU {', '.join(facts['gpus'])}" if facts.get("gpus") else ""
    threads = facts.get("settings", {}).get("TF_NUM_INTRAOP_THREADS")
    used = f", {threads} thread{'s' * (threads != '1')} per run" if threads else ""
    return f"{facts['cpu']} ({facts['cores']} cores{used}; {facts['kernels']}{gpu})"
