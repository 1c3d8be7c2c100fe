"""Too large a learning rate on a real network: plain gradient descent on MNIST.

The concept page finds the exact learning rate at which gradient descent on a linear model
starts to oscillate and then diverge. A network's loss is not a bowl, so that formula does
not apply. This script trains the experiment page's network (784 pixels -> 64 ReLU units ->
10 softmax outputs) with plain SGD for one epoch at learning rates from 0.01 to 10, from the
same start, on the same batches, and records what happens at each: the loss at every step,
whether any number became NaN, and how many hidden units are still alive at the end.
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


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = flatten(x_train), flatten(x_test)
BATCH = 32
batches = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(BATCH)
print("training images:", x_train.shape, " updates per epoch:", len(batches))


# %% train
def train(learning_rate):
    """One epoch of plain SGD from seed 0; the loss of every batch, and the trained model."""
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])
    optimizer = keras.optimizers.SGD(learning_rate)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                      model.trainable_variables))
        return loss

    losses = np.array([float(step(x, y)) for x, y in batches])
    return model, losses


def describe(model, losses):
    """What one run ended with: losses, NaNs, accuracy and the hidden units still alive."""
    weights_finite = all(np.isfinite(w).all() for w in model.get_weights())
    probabilities = model(x_test).numpy()
    hidden = model.get_layer("hidden")(x_test).numpy()
    return dict(
        nan_loss=bool(np.isnan(losses).any()),
        first_nan_step=int(np.argmax(np.isnan(losses))) if np.isnan(losses).any() else -1,
        weights_finite=bool(weights_finite),
        final_loss=float(np.mean(losses[-100:])),  # the last 100 batches: less noise
        highest_loss=float(np.nanmax(losses)),
        test_accuracy=float(np.mean(probabilities.argmax(axis=1) == y_test)),
        live_units=int(np.sum(hidden.max(axis=0) > 0)),  # active on some test image
    )


RATES = [0.01, 0.1, 0.3, 1.0, 3.0, 10.0]
curves, results = {}, []
print(f"{'rate':>6} {'final loss':>11} {'highest loss':>13} {'NaN loss':>9} "
      f"{'finite weights':>15} {'live units':>11} {'test acc':>9}")
for rate in RATES:
    model, losses = train(rate)
    curves[rate] = losses
    r = dict(rate=rate, **describe(model, losses))
    results.append(r)
    print(f"{rate:>6g} {r['final_loss']:>11.4f} {r['highest_loss']:>13.4f} "
          f"{str(r['nan_loss']):>9} {str(r['weights_finite']):>15} {r['live_units']:>8} / 64 "
          f"{r['test_accuracy']:>9.4f}")

# %% summary
by_rate = {r["rate"]: r for r in results}
best = max(results, key=lambda r: r["test_accuracy"])
CHANCE_LOSS = float(np.log(10))  # cross-entropy of a uniform guess over 10 digits
collapsed = [r["rate"] for r in results
             if r["test_accuracy"] < 0.2 and not r["nan_loss"]]
any_nan = any(r["nan_loss"] or not r["weights_finite"] for r in results)
rate_table = [{"learning rate": f"{r['rate']:g}", "loss, last 100 steps": f"{r['final_loss']:.3f}",
               "highest loss": f"{r['highest_loss']:.3g}", "NaN": "yes" if r["nan_loss"] else "no",
               "live hidden units": f"{r['live_units']} / 64",
               "test accuracy": f"{r['test_accuracy']:.1%}"} for r in results]
print(f"best rate: {best['rate']:g} ({best['test_accuracy']:.4f}); rates that ended near "
      f"chance without a NaN: {collapsed}; any NaN at all: {any_nan}; chance loss "
      f"log(10) = {CHANCE_LOSS:.4f}")

# %% figure
# Left: every batch's loss over the first 100 updates, where the large rates blow up. Right:
# the whole epoch, each point the mean of 50 batches so that the noise does not hide the trend.
fig, (first, whole) = plt.subplots(1, 2, figsize=(9, 3.6), num="network_rates")
window = 50
for rate in RATES:
    first.plot(np.arange(1, 101), curves[rate][:100], label=f"lr = {rate:g}")
    smooth = np.convolve(curves[rate], np.ones(window) / window, mode="valid")
    whole.plot(np.arange(window, len(curves[rate]) + 1), smooth, label=f"lr = {rate:g}")
for ax in (first, whole):
    ax.axhline(CHANCE_LOSS, color="grey", ls=":", lw=1)
    ax.set(xlabel="update", yscale="log")
first.set(title="The first 100 updates, every batch", ylabel="training loss")
whole.set(title=f"The whole epoch, mean of {window} batches")
whole.legend(fontsize=8, ncol=2)
fig.tight_layout()
plt.show()

# %% claims
# The sources' pitfall, run on a network instead of a line (pitfalls_learning_rate runs it on
# a line, where the loss overflows to inf and then nan).
big = by_rate[10.0]
claims = [dict(
    source="000",
    claim="SGD with learning_rate=10.0 makes training diverge (on the MNIST network)",
    measured=f"learning_rate=10.0: the batch loss peaked at {big['highest_loss']:.3g}, then "
             f"{64 - big['live_units']} of 64 hidden units went silent and the loss settled at "
             f"{big['final_loss']:.2f} (chance: {CHANCE_LOSS:.2f}), test accuracy "
             f"{big['test_accuracy']:.1%}; no NaN: {not big['nan_loss']}; 0.01: "
             f"{by_rate[0.01]['test_accuracy']:.1%}",
    verdict="holds" if big["nan_loss"] or not big["weights_finite"]
    else "depends" if big["test_accuracy"] < 0.2 else "wrong",
    also=["pitfalls_learning_rate"],
)]
