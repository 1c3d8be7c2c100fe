"""Train a one-hidden-layer network on MNIST and watch its weights and accuracy change.

Run it with ``python examples/mnist_experiment.py``; it prints every number the
experiment page quotes and draws the figures the page shows.
"""

# %% setup
import base64
import io
import warnings

import altair as alt
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from PIL import Image  # matplotlib's own dependency: writes the chart's frames

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

# %% data
def flatten(images):
    """28x28 uint8 images -> rows of 784 float32 pixels in [0, 1], as a Dense layer takes them."""
    return images.reshape(-1, 28 * 28).astype("float32") / 255.0


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = flatten(x_train)
x_test = flatten(x_test)
print("training images:", x_train.shape, " test images:", x_test.shape)


# %% model
def build_model(hidden_units):
    """784 pixels -> `hidden_units` ReLU units -> 10 digit probabilities, trained by Adam."""
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(hidden_units, activation="relu", name="hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


model = build_model(64)
model.summary()

# %% input-shape
# The sources declare the input inside the first layer, Dense(64, input_shape=(784,)).
# Keras 3 still builds that model, but warns: the input belongs in its own keras.Input.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    keras.Sequential([keras.layers.Dense(64, activation="relu", input_shape=(28 * 28,)),
                      keras.layers.Dense(10, activation="softmax")])
input_shape_warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
for message in input_shape_warnings:
    print(message)

# %% before
# The weights every later cell compares against: a copy, not a reference.
weights_before = [w.copy() for w in model.get_weights()]
kernel_before = model.get_layer("hidden").kernel.numpy().copy()
output_before = model.get_layer("output").kernel.numpy().copy()
CORNER, CENTRE = 0, 14 * 28 + 14  # pixel (0, 0) and pixel (14, 14)
print("first hidden weights of pixel (0, 0):  ", kernel_before[CORNER, :5])
print("first hidden weights of pixel (14, 14):", kernel_before[CENTRE, :5])
print("first output weights of hidden unit 0: ", output_before[0, :5])
loss_before, test_accuracy_before = model.evaluate(x_test, y_test, verbose=0)
print(f"before training: test loss {loss_before:.4f}, test accuracy {test_accuracy_before:.4f}")

# %% snapshots
# A callback that looks without touching: after chosen updates it copies the first 8 hidden
# units' weights and measures test accuracy. Most change happens early, so the chosen steps
# crowd the start; the end of every epoch (1688 updates) is kept too.
class Snapshots(keras.callbacks.Callback):
    def __init__(self, steps):
        super().__init__()
        self.steps, self.taken = set(steps), []

    def take(self, step):
        kernel = self.model.get_layer("hidden").kernel.numpy()[:, :8].copy()
        predicted = self.model(x_test, training=False).numpy().argmax(axis=1)
        self.taken.append((step, kernel, float(np.mean(predicted == y_test))))

    def on_train_begin(self, logs=None):
        self.take(0)

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.model.optimizer.iterations.numpy())
        if step in self.steps:
            self.take(step)


SNAPSHOT_STEPS = [5, 10, 20, 50, 100, 200, 500, 1000, *(1688 * e for e in range(1, 6))]
snapshots = Snapshots(SNAPSHOT_STEPS)

# %% train
history = model.fit(x_train, y_train, epochs=5, batch_size=32, validation_split=0.1,
                    verbose=2, callbacks=[snapshots])
updates_per_epoch = int(np.ceil(len(x_train) * 0.9 / 32))
best_val_accuracy = max(history.history["val_accuracy"])

# %% after
kernel_after = model.get_layer("hidden").kernel.numpy()
output_after = model.get_layer("output").kernel.numpy()
print("first hidden weights of pixel (0, 0):  ", kernel_after[CORNER, :5])
print("first hidden weights of pixel (14, 14):", kernel_after[CENTRE, :5])
print("first output weights of hidden unit 0: ", output_after[0, :5])
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"after training:  test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}")

# %% which-moved
# A pixel that is black in every training image feeds zeros into its weights, so their
# gradient is exactly zero and Adam never moves them.
fit_images = x_train[: int(len(x_train) * 0.9)]  # validation_split holds out the last 10%
blank_pixels = int(np.sum(fit_images.max(axis=0) == 0))
unchanged_rows = int(np.sum(np.all(kernel_after == kernel_before, axis=1)))
corner_moved = bool(np.any(kernel_after[CORNER] != kernel_before[CORNER]))
centre_change = float(np.abs(kernel_after[CENTRE] - kernel_before[CENTRE]).mean())
hidden_change = float(np.abs(kernel_after - kernel_before).mean())
output_change = float(np.abs(output_after - output_before).mean())
print(f"pixels that are 0 in every training image: {blank_pixels} of 784")
print(f"rows of hidden weights that did not change at all: {unchanged_rows} of 784")
print(f"did pixel (0, 0)'s weights move? {corner_moved}")
print(f"mean |change| of pixel (14, 14)'s weights: {centre_change:.4f}")
print(f"mean |change|, hidden layer: {hidden_change:.4f}, output layer: {output_change:.4f}")

# %% slice
# The loss along the straight line from the initial weights (t = 0) to the trained ones
# (t = 1), and a little beyond both ends, on the first 2,000 test images.
weights_after = model.get_weights()
slice_t = np.linspace(-0.5, 1.5, 21)
slice_loss = []
for t in slice_t:
    model.set_weights([w0 + t * (w1 - w0) for w0, w1 in zip(weights_before, weights_after)])
    slice_loss.append(float(model.evaluate(x_test[:2000], y_test[:2000], verbose=0)[0]))
model.set_weights(weights_after)
slice_start, slice_end = slice_loss[5], slice_loss[15]  # t = 0 and t = 1
slice_lowest_t = float(slice_t[int(np.argmin(slice_loss))])
slice_beyond = slice_loss[-1]  # t = 1.5
slice_falls_all_the_way = bool(np.all(np.diff(slice_loss[5:16]) < 0))
print(f"loss at t = 0 (start): {slice_start:.3f}, at t = 1 (trained): {slice_end:.3f}, "
      f"at t = 1.5: {slice_beyond:.3f}")
print(f"falls at every step from t = 0 to t = 1: {slice_falls_all_the_way}; "
      f"lowest point on the line: t = {slice_lowest_t:.1f}")

fig, ax = plt.subplots(figsize=(5.5, 3.4), num="loss_slice")
ax.plot(slice_t, slice_loss, "o-", ms=3)
ax.axvline(0, color="grey", ls=":"), ax.axvline(1, color="grey", ls=":")
ax.set(yscale="log", xlabel="t (0 = initial weights, 1 = trained weights)",
       ylabel="test loss (first 2,000 images)",
       title="Loss along the line from initial to trained weights")
fig.tight_layout()
plt.show()

# %% curves
epochs = np.arange(1, 6)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="training_curves")
left.plot(epochs, history.history["loss"], "o-", label="training")
left.plot(epochs, history.history["val_loss"], "s--", label="validation")
left.set(title="Loss per epoch", xlabel="epoch", ylabel="cross-entropy", xticks=epochs)
right.plot(epochs, history.history["accuracy"], "o-", label="training")
right.plot(epochs, history.history["val_accuracy"], "s--", label="validation")
right.set(title="Accuracy per epoch", xlabel="epoch", ylabel="accuracy", xticks=epochs)
right.legend()
fig.tight_layout()
plt.show()

# %% first-layer
# Each hidden unit has one weight per pixel: drawn as a 28x28 image, it shows the pattern
# of ink that excites the unit. Blue is negative, red positive, on one shared scale.
fig, axes = plt.subplots(2, 8, figsize=(9, 2.6), num="first_layer_weights")
scale = np.abs(kernel_after[:, :8]).max()
for unit in range(8):
    for row, (kernel, when) in enumerate(((kernel_before, "before"), (kernel_after, "after"))):
        axes[row, unit].imshow(kernel[:, unit].reshape(28, 28), cmap="bwr",
                               vmin=-scale, vmax=scale)
        axes[row, unit].set_xticks([]), axes[row, unit].set_yticks([])
    axes[0, unit].set_title(f"unit {unit}", fontsize=9)
axes[0, 0].set_ylabel("before"), axes[1, 0].set_ylabel("after")
fig.suptitle("Hidden-unit weights of the first 8 units, as 28x28 images")
plt.show()

# %% first-layer-chart
# The snapshots, interactive: a slider over them shows the 8 units' weights at that step
# (same colours as above), with the step and the test accuracy beside them. Each frame is a
# small PNG inside the chart; Altair writes it as Vega-Lite, drawn in Jupyter, Colab and the
# site. Weights are rounded to 31 shades, which a 28x28 picture cannot tell apart.
def frame_png(kernel):
    """The 8 units' weights side by side (1-pixel gaps) as an indexed PNG data URL."""
    shades = np.clip(np.round(kernel / scale * 15), -15, 15).astype(int) + 15  # 0..30
    picture = np.full((28, 8 * 29 - 1), 15, dtype="uint8")  # gaps: the white middle shade
    for unit in range(8):
        picture[:, unit * 29:unit * 29 + 28] = shades[:, unit].reshape(28, 28)
    image = Image.fromarray(picture, mode="P")
    image.putpalette((plt.get_cmap("bwr")(np.linspace(0, 1, 31))[:, :3] * 255)
                     .round().astype("uint8").ravel().tolist())
    encoded = io.BytesIO()
    image.save(encoded, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(encoded.getvalue()).decode()


snapshot_steps = [step for step, _, _ in snapshots.taken]
snapshot_accuracy = [accuracy for _, _, accuracy in snapshots.taken]
last_frame_is_final = bool(np.array_equal(snapshots.taken[-1][1], kernel_after[:, :8]))
blank_in_every_frame = bool(all(np.array_equal(kernel[blank], kernel_before[blank, :8])
                                for _, kernel, _ in snapshots.taken
                                for blank in [fit_images.max(axis=0) == 0]))
frame_rows = [dict(frame=n, step=step, epoch=round(step / updates_per_epoch, 2),
                   accuracy=round(accuracy, 4), image=frame_png(kernel))
              for n, (step, kernel, accuracy) in enumerate(snapshots.taken)]
snapshot_count = len(frame_rows)
early = snapshot_steps.index(100)  # how far 100 updates, a small part of one epoch, got
early_share_of_epoch = snapshot_steps[early] / updates_per_epoch
print(f"{snapshot_count} snapshots, steps {snapshot_steps[0]} to {snapshot_steps[-1]}; test "
      f"accuracy {snapshot_accuracy[0]:.4f} -> {snapshot_accuracy[early]:.4f} after "
      f"{snapshot_steps[early]} updates -> {snapshot_accuracy[-1]:.4f}")
print(f"last snapshot = the trained weights: {last_frame_is_final}; blank pixels' weights the "
      f"same in every snapshot: {blank_in_every_frame}")

frame = alt.param(name="frame", value=len(frame_rows) - 1, bind=alt.binding_range(
    min=0, max=len(frame_rows) - 1, step=1, name="Snapshot "))
frames = alt.Chart(alt.InlineData(values=frame_rows)).transform_filter("datum.frame == frame")
weights_view = frames.mark_image(width=8 * 29 * 3, height=28 * 3, align="left",
                                 baseline="top").encode(
    x=alt.value(0), y=alt.value(0), url="image:N").properties(
    width=8 * 29 * 3, height=28 * 3, title="Hidden units 0-7: incoming weights as 28x28 images")
readout = frames.transform_calculate(
    label="'update ' + datum.step + ' (epoch ' + format(datum.epoch, '.2f') + '): test "
          "accuracy ' + format(datum.accuracy, '.1%')").mark_text(
    align="left", x=0, y=8, fontSize=13).encode(text="label:N").properties(
    width=8 * 29 * 3, height=16)
first_layer_chart = alt.vconcat(weights_view, readout, spacing=4).add_params(frame)
first_layer_chart

# %% bonus
keras.utils.set_random_seed(SEED)
small = build_model(16)
small_kernel_before = small.get_layer("hidden").kernel.numpy().copy()
small_history = small.fit(x_train, y_train, epochs=5, batch_size=32, validation_split=0.1,
                          verbose=2)
small_loss, small_test_accuracy = small.evaluate(x_test, y_test, verbose=0)
small_hidden_change = float(
    np.abs(small.get_layer("hidden").kernel.numpy() - small_kernel_before).mean()
)
big_params, small_params = model.count_params(), small.count_params()
mistakes_ratio = (1 - small_test_accuracy) / (1 - test_accuracy)
print(f"{'hidden units':>14} {'parameters':>11} {'test accuracy':>14} {'mean |change|':>14}")
print(f"{64:>14} {big_params:>11} {test_accuracy:>14.4f} {hidden_change:>14.4f}")
print(f"{16:>14} {small_params:>11} {small_test_accuracy:>14.4f} {small_hidden_change:>14.4f}")

# %% compare
fig, ax = plt.subplots(figsize=(5.5, 3.4), num="hidden_64_vs_16")
ax.plot(epochs, history.history["val_accuracy"], "o-", label="64 hidden units")
ax.plot(epochs, small_history.history["val_accuracy"], "s-", label="16 hidden units")
ax.set(title="Validation accuracy: 64 vs 16 hidden units", xlabel="epoch",
       ylabel="validation accuracy", xticks=epochs)
ax.legend()
fig.tight_layout()
plt.show()

# %% claims
# What the source material claimed about this experiment, against what this run measured.
claims = [
    dict(source="001", claim="An untrained model scores about 10% (random guessing)",
         measured=f"test accuracy before training: {test_accuracy_before:.1%}",
         verdict="holds" if 0.05 < test_accuracy_before < 0.15 else "wrong"),
    dict(source="001", claim="Printing the first weights before and after shows they changed",
         measured=f"first layer, pixel (0, 0): moved {corner_moved} "
                  f"({unchanged_rows} of 784 rows never changed); output layer: mean |change| "
                  f"{output_change:.3f}",
         verdict="holds" if corner_moved else "depends" if output_change > 0 else "wrong"),
    dict(source="001", claim="A smaller hidden layer (16 units) learns less accurately",
         measured=f"test accuracy {small_test_accuracy:.1%} with 16 units, "
                  f"{test_accuracy:.1%} with 64",
         verdict="holds" if small_test_accuracy < test_accuracy else "wrong"),
]
