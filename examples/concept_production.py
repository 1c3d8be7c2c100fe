"""Production training patterns, each in a small runnable cell: checkpoints, early stopping,
learning-rate schedules (exponential decay, cosine annealing), a distribution strategy, and
what hardware changes: devices, the speed of large array operations, fewer-bit arithmetic.

A small MNIST subset keeps every fit to a few seconds: 1000 training images, which a
256-unit network starts to overfit within a few epochs, and 1000 validation images.
"""

# %% setup
import tempfile
import time
import warnings
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

# %% data
def flatten(images):
    """28x28 uint8 images -> rows of 784 float32 pixels in [0, 1], as a Dense layer takes them."""
    return images.reshape(-1, 28 * 28).astype("float32") / 255.0


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_fit = flatten(x_train[:1000])
y_fit = y_train[:1000]
x_val = flatten(x_test[:1000])
y_val = y_test[:1000]
print("training images:", x_fit.shape, " validation images:", x_val.shape)


def build_model(learning_rate=1e-3):
    """784 pixels -> 256 ReLU units -> 10 logits, Adam on cross-entropy."""
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(256, "relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


# %% callbacks
# Two callbacks watch the validation loss after every epoch:
#   ModelCheckpoint saves the whole model (weights and optimizer state) whenever it improves;
#   EarlyStopping ends training once it has not improved for 3 epochs, and puts the best
#   weights back into the model.
MAX_EPOCHS = 30
folder = Path(tempfile.mkdtemp())
checkpoint = keras.callbacks.ModelCheckpoint(folder / "best.keras", monitor="val_loss",
                                             save_best_only=True)
stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3,
                                        restore_best_weights=True)
keras.utils.set_random_seed(SEED)
model = build_model()
with warnings.catch_warnings():
    # Saving a Keras 3.15 model under NumPy 2.4 emits one DeprecationWarning from inside
    # Keras (its variables' __array__ lacks NumPy 2's `copy` argument). It is harmless and
    # not ours to fix, so exactly that message is silenced, here only.
    warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept",
                            category=DeprecationWarning)
    history = model.fit(x_fit, y_fit, validation_data=(x_val, y_val), epochs=MAX_EPOCHS,
                        batch_size=32, callbacks=[checkpoint, stopper], verbose=0)
val_losses = history.history["val_loss"]
best_epoch = int(np.argmin(val_losses)) + 1
best_val_loss = float(min(val_losses))
epochs_run = len(val_losses)
for epoch, (loss, val_loss) in enumerate(zip(history.history["loss"], val_losses), 1):
    saved = "  <- saved" if val_loss <= min(val_losses[:epoch]) else ""
    print(f"epoch {epoch:2d}: loss {loss:.4f}, val_loss {val_loss:.4f}{saved}")

# %% checkpoint
# The file on disk is a complete model: load it and it scores what the best epoch scored.
reloaded = keras.models.load_model(folder / "best.keras")
reloaded_val_loss = float(reloaded.evaluate(x_val, y_val, verbose=0)[0])
print(f"saved files: {sorted(p.name for p in folder.iterdir())}")
print(f"best epoch {best_epoch}: val_loss {best_val_loss:.4f}; "
      f"reloaded checkpoint: val_loss {reloaded_val_loss:.4f}")
reloaded_steps = int(reloaded.optimizer.iterations.numpy())
print(f"its optimizer came back too, with {reloaded_steps} steps taken "
      f"({best_epoch} epochs x 32 batches)")

# %% early-stopping
restored_val_loss = float(model.evaluate(x_val, y_val, verbose=0)[0])
weights_gap = float(max(np.abs(a - b).max()
                        for a, b in zip(model.get_weights(), reloaded.get_weights())))
print(f"ran {epochs_run} of {MAX_EPOCHS} epochs (stopped_epoch = {stopper.stopped_epoch}, "
      f"counted from 0); best epoch {best_epoch}")
print(f"val_loss of the restored weights {restored_val_loss:.4f}; "
      f"largest difference from the checkpoint's weights {weights_gap:.1e}")

fig, ax = plt.subplots(figsize=(6, 3.3), num="early_stopping")
epochs = np.arange(1, epochs_run + 1)
ax.plot(epochs, history.history["loss"], "o-", ms=3, label="training loss")
ax.plot(epochs, val_losses, "s-", ms=3, label="validation loss")
ax.axvline(best_epoch, color="grey", ls=":", label=f"best epoch ({best_epoch}): checkpoint")
ax.set(title=f"Early stopping: {epochs_run} of {MAX_EPOCHS} epochs run", xlabel="epoch",
       ylabel="cross-entropy", xticks=epochs)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% schedule
# The learning rate as a function of the step: halve it every 100 steps.
schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=1e-3, decay_steps=100, decay_rate=0.5)
stairs = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=1e-3, decay_steps=100, decay_rate=0.5, staircase=True)
schedule_table = [dict(step=s, smooth=float(schedule(s)), staircase=float(stairs(s)))
                  for s in (0, 50, 100, 150, 200, 400)]
for row in schedule_table:
    print(f"step {row['step']:>3}: learning rate {row['smooth']:.3e} "
          f"(staircase {row['staircase']:.3e})")
keras.utils.set_random_seed(SEED)
model = build_model(learning_rate=schedule)
model.fit(x_fit, y_fit, epochs=2, batch_size=32, verbose=0)
steps_taken = int(model.optimizer.iterations.numpy())
lr_now = float(model.optimizer.learning_rate.numpy())
print(f"after {steps_taken} steps the optimizer uses {lr_now:.3e} "
      f"(the schedule says {float(schedule(steps_taken)):.3e})")

# %% cosine
# Cosine annealing: the rate follows half a cosine wave from its start down to alpha times
# the start, over decay_steps steps. Here decay_steps is the whole run (3 epochs of 32
# batches), so the rate reaches its floor at the last step. The callback records the rate
# the optimizer itself used at every step, next to a constant rate and the halving above.
EPOCHS_SCHEDULED = 3
total_steps = EPOCHS_SCHEDULED * -(-len(x_fit) // 32)
cosine = keras.optimizers.schedules.CosineDecay(initial_learning_rate=1e-3,
                                               decay_steps=total_steps, alpha=0.0)


class RateTrail(keras.callbacks.Callback):
    """The learning rate the optimizer uses at each step, read before the step."""

    def on_train_begin(self, logs=None):
        self.rates = []

    def on_train_batch_begin(self, batch, logs=None):
        self.rates.append(float(self.model.optimizer.learning_rate.numpy()))


rate_by_step, schedule_val = {}, {}
for name, rate in {"constant": 1e-3, "exponential": schedule, "cosine": cosine}.items():
    keras.utils.set_random_seed(SEED)
    model = build_model(learning_rate=rate)
    trail = RateTrail()
    model.fit(x_fit, y_fit, epochs=EPOCHS_SCHEDULED, batch_size=32, verbose=0, callbacks=[trail])
    rate_by_step[name] = trail.rates
    schedule_val[name] = dict(zip(["loss", "accuracy"], map(float, model.evaluate(
        x_val, y_val, verbose=0))))
    print(f"{name:>11}: rate {trail.rates[0]:.2e} at step 0, {trail.rates[total_steps // 2]:.2e} "
          f"at step {total_steps // 2}, {trail.rates[-1]:.2e} at step {total_steps - 1}; "
          f"validation loss {schedule_val[name]['loss']:.4f}, "
          f"accuracy {schedule_val[name]['accuracy']:.1%}")
cosine_halfway = rate_by_step["cosine"][total_steps // 2] / rate_by_step["cosine"][0]

fig, ax = plt.subplots(figsize=(6, 3.2), num="schedules")
for name, rates in rate_by_step.items():
    ax.plot(range(len(rates)), rates, label=name)
ax.set(title=f"Learning rate the optimizer used, {total_steps} steps", xlabel="step",
       ylabel="learning rate", ylim=(0, 1.1e-3))
ax.legend()
fig.tight_layout()
plt.show()

# %% strategy
# A distribution strategy copies the model onto each device and averages their gradients.
# This machine has one CPU and no GPU, so MirroredStrategy finds a single replica.
strategy = tf.distribute.MirroredStrategy()
replicas = strategy.num_replicas_in_sync
print(f"MirroredStrategy: {replicas} replica(s) on {strategy.extended.worker_devices}")
keras.utils.set_random_seed(SEED)
with strategy.scope():
    mirrored = build_model()
mirrored.fit(x_fit, y_fit, epochs=2, batch_size=32, verbose=0)
keras.utils.set_random_seed(SEED)
plain = build_model()
plain.fit(x_fit, y_fit, epochs=2, batch_size=32, verbose=0)
strategy_gap = float(max(np.abs(a - b).max()
                         for a, b in zip(mirrored.get_weights(), plain.get_weights())))
print(f"largest weight difference, with and without the strategy: {strategy_gap:.2e}")
one_device = tf.distribute.OneDeviceStrategy("/cpu:0")
print(f"OneDeviceStrategy: {one_device.num_replicas_in_sync} replica")

# %% hardware
# Where the arithmetic runs. TensorFlow puts each operation on a device: a GPU or TPU when it
# finds one, the CPU otherwise. Here is what this run found:
devices = [d.device_type for d in tf.config.list_physical_devices()]
print("devices:", devices)


# Accelerators pay off on large, regular arrays. Multiply square n x n matrices (2n^3
# multiply-adds' worth of floating-point operations each) and measure the rate: for a small
# product, launching the operation costs more than the arithmetic.
def matmul_rate(n, repeats):
    """Floating-point operations per second of repeated n x n matrix products."""
    a, b = tf.random.normal((n, n), seed=1), tf.random.normal((n, n), seed=2)
    tf.linalg.matmul(a, b).numpy()  # the first call sets things up; not timed
    start = time.perf_counter()
    for _ in range(repeats):
        product = tf.linalg.matmul(a, b)
    product.numpy()  # wait until the device has finished
    return 2 * n**3 * repeats / (time.perf_counter() - start)


matmul_gflop_per_second = {str(n): matmul_rate(n, repeats) / 1e9 for n, repeats in
                     ((16, 2000), (128, 200), (1024, 5))}
print("\n".join(f"{n:>4} x {n:<4}: {speed:.2f} GFLOP/s"
                for n, speed in matmul_gflop_per_second.items()))

# Accelerators also compute in fewer bits: TPUs multiply in bfloat16, GPUs often in float16,
# both adding up the products in float32. Round the inputs of a 256 x 256 product to each
# format, multiply in float32, and compare with the exact (float64) product:
a64 = np.random.default_rng(SEED).normal(size=(2, 256, 256))
reference = a64[0] @ a64[1]
precision_error = {}
for dtype in ("float32", "float16", "bfloat16"):
    a, b = (tf.cast(tf.cast(m, dtype), "float32") for m in a64)
    result = tf.linalg.matmul(a, b).numpy().astype("float64")
    precision_error[dtype] = float(np.abs(result - reference).max() / np.abs(reference).max())
    print(f"{dtype:>8} inputs: largest error {precision_error[dtype]:.1e} of the largest entry")

# %% claims
claims = [
    dict(source="000", claim="Checkpointing makes training reliable: a saved model can be "
                           "restored exactly",
         measured=f"checkpoint of epoch {best_epoch} reloaded with val_loss "
                  f"{reloaded_val_loss:.4f}; at save time it was {best_val_loss:.4f}",
         verdict="holds" if abs(reloaded_val_loss - best_val_loss) < 1e-5 else "wrong"),
    dict(source="000", claim="Early stopping makes training efficient",
         measured=f"stopped after {epochs_run} of {MAX_EPOCHS} epochs; restored weights of "
                  f"epoch {best_epoch} (val_loss {restored_val_loss:.4f})",
         verdict="holds" if epochs_run < MAX_EPOCHS
         and abs(restored_val_loss - best_val_loss) < 1e-5 else "wrong"),
]
for claim in claims:
    print(f"[{claim['verdict']}] {claim['claim']}: {claim['measured']}")
