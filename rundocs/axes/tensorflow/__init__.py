"""The TensorFlow kit: what this engine knows of TensorFlow, switched on by a project's settings.

A project whose ``[tool.rundocs]`` has a ``tensorflow`` table gets, through the general
mechanisms of :mod:`rundocs.axes.backends` and the run store:

* oneDNN's back-ends (this module): ``ONEDNN_MAX_CPU_ISA`` caps the vector code oneDNN picks,
  and ``TF_ENABLE_ONEDNN_OPTS=0`` swaps oneDNN for Eigen, so the same seed gives other floats;
* other TensorFlow releases, each from a lock of its own (:mod:`.versions`);
* MNIST served offline to ``keras.datasets.mnist.load_data()`` (:mod:`.offline`, fetched by
  :mod:`.mnist_fetch`);
* the run's provenance: TensorFlow's and Keras' versions, whether a GPU ran it, and where its
  MNIST came from (:func:`provenance`).
"""

import sys

from rundocs.axes.tensorflow import offline

# What every run is started with: TensorFlow's C++ log muted below a fatal error (it prints
# build notes such as "NodeDef mentions attribute ...", not the lesson's output).
ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3"}
# Back-ends beside the machine's default: name -> (environment, description).
BACKENDS = {
    "avx2": ({"ONEDNN_MAX_CPU_ISA": "AVX2"}, "oneDNN held to AVX2"),
    "sse41": ({"ONEDNN_MAX_CPU_ISA": "SSE41"}, "oneDNN held to SSE4.1"),
    "onednn-off": ({"TF_ENABLE_ONEDNN_OPTS": "0"}, "oneDNN off (Eigen kernels)"),
}
# TensorFlow's environment variables that change the numbers a run produces.
NUMERIC_ENV = ("TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA", "TF_DETERMINISTIC_OPS",
               "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
ONE_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}
CAPS = {"SSE41": "SSE4.1", "AVX": "AVX", "AVX2": "AVX2"}  # ONEDNN_MAX_CPU_ISA -> ISAS name


def kernels(settings: dict[str, str], isa: str, isas: list[str]) -> str:
    """Which kernels TensorFlow runs under ``settings`` on a CPU whose newest instruction set
    is ``isa`` (``isas``: every instruction set, newest first), in words."""
    if settings.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        return "oneDNN off (Eigen kernels)"
    cap = CAPS.get(settings.get("ONEDNN_MAX_CPU_ISA", "").upper())
    if cap in isas and isa in isas and isas.index(cap) > isas.index(isa):
        isa = cap
    return f"oneDNN, {isa}"


def prepare(source: str) -> None:
    """Before a script runs, in its process: MNIST answers offline if the script loads it."""
    if "keras.datasets.mnist" in source:
        offline.install()


def provenance() -> dict:
    """After a script ran, in its process: what of TensorFlow it used, for its run line."""
    facts = {module: sys.modules[module].__version__ for module in ("tensorflow", "keras")
             if module in sys.modules}
    tf = sys.modules.get("tensorflow")
    if tf and tf.config.list_physical_devices("GPU"):
        facts["device"] = "GPU"
    if offline.used:
        facts["data"] = offline.used[0]
    return facts
