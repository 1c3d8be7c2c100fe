"""Production training patterns, each in a small runnable cell: checkpoints, early stopping,
learning-rate schedules and a distribution strategy.

A small MNIST subset keeps every fit to a few seconds: 1000 training images, which a
256-unit network starts to overfit within a few epochs, and 1000 validation images.
"""

# %% setup
import tempfile
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
print(f"its optimizer came back too, with {int(reloaded.optimizer.iterations)} steps taken "
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
steps_taken = int(model.optimizer.iterations)
lr_now = float(model.optimizer.learning_rate)
print(f"after {steps_taken} steps the optimizer uses {lr_now:.3e} "
      f"(the schedule says {float(schedule(steps_taken)):.3e})")

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
