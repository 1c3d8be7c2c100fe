"""What scaling the pixels to [0, 1] is worth, over the experiment's full five epochs.

The experiment page's network (64 hidden units, Adam, batches of 32, the last tenth held
out) is trained three times from the same seed: on pixels scaled to [0, 1], on the raw
pixels 0..255, and on the raw pixels with the first layer's starting weights divided by
255, so that every first-layer sum starts exactly where it starts on scaled pixels. If the
raw pixels only hurt because training starts at the wrong scale, that third run should
train like the first.
"""

# %% setup
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

# %% data
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
raw_train = x_train.reshape(-1, 28 * 28).astype("float32")  # 0..255
raw_test = x_test.reshape(-1, 28 * 28).astype("float32")
print("raw pixel range:", raw_train.min(), "to", raw_train.max())


# %% train
def train(x, x_test, divide_first_layer_by=1.0):
    """Five epochs of the experiment's network from seed 0, on inputs x.

    With divide_first_layer_by=255 the first layer's random starting weights are divided
    by 255 before training, which makes its sums on raw pixels equal to the sums the
    undivided weights give on scaled pixels.
    """
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])
    hidden = model.get_layer("hidden")
    hidden.kernel.assign(hidden.kernel / divide_first_layer_by)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=32)
    start_sums = float(np.abs(hidden(x[:1000]).numpy()).mean())
    history = model.fit(x, y_train, epochs=5, batch_size=32, validation_split=0.1, verbose=0)
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    return dict(start_activation=start_sums, loss=history.history["loss"],
                val_accuracy=history.history["val_accuracy"], test_loss=test_loss,
                test_accuracy=test_accuracy)


runs = {
    "scaled": train(raw_train / 255.0, raw_test / 255.0),
    "raw": train(raw_train, raw_test),
    "rescaled": train(raw_train, raw_test, divide_first_layer_by=255.0),
}
LABELS = {"scaled": "scaled", "raw": "raw", "rescaled": "raw, start / 255"}
print(f"{'inputs':>17} {'start |hidden|':>15} {'epoch-1 loss':>13} {'epoch-5 loss':>13} "
      f"{'val acc 1':>10} {'val acc 5':>10} {'test acc':>9}")
for name, r in runs.items():
    print(f"{LABELS[name]:>17} {r['start_activation']:>15.3f} {r['loss'][0]:>13.4f} "
          f"{r['loss'][-1]:>13.4f} {r['val_accuracy'][0]:>10.4f} {r['val_accuracy'][-1]:>10.4f} "
          f"{r['test_accuracy']:>9.4f}")

# %% summary
scaled, raw, rescaled = runs["scaled"], runs["raw"], runs["rescaled"]
test_accuracy = {name: r["test_accuracy"] for name, r in runs.items()}
start_ratio = raw["start_activation"] / scaled["start_activation"]
rescaled_start_ratio = rescaled["start_activation"] / scaled["start_activation"]
SOURCES_TEST = 0.94  # the sources' figure for this network, trained on scaled pixels
print(f"hidden activations at the start, raw / scaled: {start_ratio:.1f}x; "
      f"raw with the start divided by 255 / scaled: {rescaled_start_ratio:.3f}x")
print(f"test accuracy after 5 epochs: scaled {scaled['test_accuracy']:.4f}, "
      f"raw {raw['test_accuracy']:.4f}, raw with the start / 255 "
      f"{rescaled['test_accuracy']:.4f} (the sources: {SOURCES_TEST:.0%} on scaled pixels)")

# %% figure
epochs = np.arange(1, 6)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="scaling_curves")
for (name, r), style in zip(runs.items(), ("o-", "s--", "^:")):
    left.plot(epochs, r["loss"], style, label=LABELS[name])
    right.plot(epochs, r["val_accuracy"], style, label=LABELS[name])
left.set(title="Training loss per epoch", xlabel="epoch", ylabel="cross-entropy",
         yscale="log", xticks=epochs)
right.axhline(SOURCES_TEST, color="grey", lw=0.8, ls="--")
right.set(title="Validation accuracy per epoch", xlabel="epoch", ylabel="accuracy",
          xticks=epochs)
right.legend(fontsize=8)
fig.tight_layout()
plt.show()
