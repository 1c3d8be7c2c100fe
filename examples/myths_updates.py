"""Myth: all weights change by the same amount.

One network, one starting point, trained with plain SGD and with Adam. For every weight we
measure how far it moved, |w_after - w_before|, after one batch step and after three epochs.
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
def flatten(images):
    """28x28 uint8 images -> rows of 784 float32 pixels in [0, 1], as a Dense layer takes them."""
    return images.reshape(-1, 28 * 28).astype("float32") / 255.0


(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = flatten(x_train[:5000])
y_train = y_train[:5000]
print("training images:", x_train.shape)


# %% measure
def initial_network():
    """784 -> 32 ReLU -> 10 softmax, with the same starting weights every time."""
    keras.utils.set_random_seed(SEED)
    return keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


def weight_changes(optimizer, images, labels, epochs):
    """|change| of every weight and bias of a fresh network after training it."""
    model = initial_network()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    before = [w.numpy().copy() for w in model.trainable_weights]
    model.fit(images, labels, epochs=epochs, batch_size=32, verbose=0)
    return np.concatenate([np.abs(w.numpy() - b).ravel()
                           for w, b in zip(model.trainable_weights, before)])


sgd, adam = keras.optimizers.SGD, keras.optimizers.Adam
changes = {  # one entry per run: |change| of all 25,450 weights and biases
    "sgd_step": weight_changes(sgd(0.01), x_train[:32], y_train[:32], epochs=1),
    "adam_step": weight_changes(adam(0.001), x_train[:32], y_train[:32], epochs=1),
    "sgd_epochs": weight_changes(sgd(0.01), x_train, y_train, epochs=3),
    "adam_epochs": weight_changes(adam(0.001), x_train, y_train, epochs=3),
}
n_weights = int(changes["sgd_step"].size)
LABELS = {"sgd_step": "SGD, one step", "adam_step": "Adam, one step",
          "sgd_epochs": "SGD, 3 epochs", "adam_epochs": "Adam, 3 epochs"}


# %% summary
def spread(change):
    """Share of weights that did not move, and percentiles of the moves of the others."""
    moved = change[change > 0]
    p1, median, p99 = (float(v) for v in np.percentile(moved, [1, 50, 99]))
    return dict(unmoved=float(np.mean(change == 0)), p1=p1, median=median, p99=p99,
                ratio=p99 / p1)


stats = {run: spread(change) for run, change in changes.items()}


def ratio_text(ratio):
    """A 99th/1st ratio as the page quotes it: whole numbers, two decimals when below 10."""
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}"


print(f"{'':>16} {'not moved':>10} {'1st pct':>9} {'median':>9} {'99th pct':>9} {'99th/1st':>9}")
for run, s in stats.items():
    print(f"{LABELS[run]:>16} {s['unmoved']:>10.1%} {s['p1']:>9.2e} {s['median']:>9.2e} "
          f"{s['p99']:>9.2e} {ratio_text(s['ratio']):>9}")

# %% why-unmoved
# In one step, first-layer weight (pixel i, unit j) gets a zero gradient exactly when no image
# of the batch has pixel i inked while unit j is on (ReLU > 0). Check that on the first batch.
w1, b1 = initial_network().layers[0].get_weights()
batch = x_train[:32]
never_together = ((batch > 0).T.astype("float32") @ (batch @ w1 + b1 > 0)) == 0
first_layer = slice(0, 28 * 28 * 32)  # the first-layer kernel comes first in `changes`
one_step_explained = all(
    np.array_equal(changes[run][first_layer].reshape(784, 32) == 0, never_together)
    for run in ("sgd_step", "adam_step"))
blank_in_batch = int(np.sum(batch.max(axis=0) == 0))
print(f"one step: {int(never_together.sum())} (pixel, unit) pairs never active together in the "
      f"batch, {blank_in_batch} pixels blank in all 32 images; exactly the unmoved weights: "
      f"{one_step_explained}")

# After 3 epochs: the pixels that are blank in all 5000 images can never move their weights.
blank_pixels = int(np.sum(x_train.max(axis=0) == 0))
unmoved_after_training = {run: int(np.sum(changes[run][first_layer] == 0))
                          for run in ("sgd_epochs", "adam_epochs")}
for run, count in unmoved_after_training.items():
    print(f"{LABELS[run]}: {count} unmoved first-layer weights, {blank_pixels * 32} of "
          f"them on the {blank_pixels} pixels blank in all {len(x_train)} images")

# %% claims
claims = [
    dict(source="000",
         claim="Weights do not all change by the same amount: some change a lot, others little",
         measured=f"after 3 epochs the 99th percentile move is "
                  f"{stats['sgd_epochs']['ratio']:,.0f}x the 1st percentile with SGD and "
                  f"{stats['adam_epochs']['ratio']:,.0f}x with Adam; "
                  f"{stats['sgd_epochs']['unmoved']:.1%} (SGD) and "
                  f"{stats['adam_epochs']['unmoved']:.1%} (Adam) of the weights did not move",
         verdict="holds" if min(stats["sgd_epochs"]["ratio"], stats["adam_epochs"]["ratio"]) > 10
         else "wrong"),
    dict(source="000",
         claim="In each step, each weight moves by an amount set by its own gradient",
         measured=f"one SGD step: 99th/1st percentile ratio {stats['sgd_step']['ratio']:,.0f}; "
                  f"one Adam step: ratio {stats['adam_step']['ratio']:.2f}, median move "
                  f"{stats['adam_step']['median']:.2e} (the learning rate is 1e-3)",
         verdict=("holds" if stats["adam_step"]["ratio"] > 10 else "depends")
         if stats["sgd_step"]["ratio"] > 10 else "wrong",
         also=["practice_answers"]),  # practice task 2: Adam's steps, weight by weight
]

# %% histogram
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True, num="update_sizes")
bins = np.logspace(-9, 0, 73)
for ax, when in zip(axes, ("step", "epochs")):
    for optimizer in ("sgd", "adam"):
        run = f"{optimizer}_{when}"
        change = changes[run]
        ax.hist(change[change > 0], bins=bins, histtype="step", linewidth=1.5,
                label=f"{LABELS[run].split(',')[0]} ({stats[run]['unmoved']:.0%} did not move)")
    ax.set(xscale="log", title=f"|change| of each weight, {LABELS[run].split(', ')[1]}",
           xlabel="|w_after - w_before|")
    ax.legend(loc="upper left", fontsize=8)
axes[0].set_ylabel("number of weights")
fig.tight_layout()
plt.show()
