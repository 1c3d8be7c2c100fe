"""The TensorFlow kit: what this engine knows of TensorFlow, switched on by a project's settings.

A project whose ``[tool.rundocs]`` has a ``tensorflow`` table gets, through the general
mechanisms of :mod:`rundocs.axes.backends` and the run store:

* oneDNN's back-ends (this module): ``ONEDNN_MAX_CPU_ISA`` caps the vector code oneDNN picks,
  and ``TF_ENABLE_ONEDNN_OPTS=0`` swaps oneDNN for Eigen, so the same seed gives other floats;
* other TensorFlow releases, each from a lock of its own (:mod:`.versions`);
* MNIST served offline to ``keras.datasets.mnist.load_data()`` (:mod:`.offline`, fetched by
  :mod:`.mnist_fetch`).

The run's provenance names TensorFlow and Keras wherever a script imported them; that needs no
switch.
"""

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
