"""Is a training loss close to zero the better model? One classifier, compared with itself.

The metrics page's digit classifier (784 pixels -> 128 ReLU units -> 10 softmax outputs,
Adam, batches of 64, 5,000 training images, 5,000 validation images) is trained for its
10 epochs and then, the same model, for 50 more. Its training loss heads for zero; the
question is what the held-out numbers do meanwhile.
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
x_fit, y_fit = x_train[:5_000], y_train[:5_000]
x_val, y_val = x_train[-5_000:], y_train[-5_000:]
print(f"fit on {len(x_fit)} images, validate on {len(x_val)}, test on {len(x_test)}")

# %% train
model = keras.Sequential([
    keras.Input(shape=(28 * 28,)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
              steps_per_execution=16)  # 16 updates per call into TensorFlow: the same updates
FIRST, MORE = 10, 50
first = model.fit(x_fit, y_fit, epochs=FIRST, batch_size=64, validation_data=(x_val, y_val),
                  verbose=0)
test_loss_at_10, test_accuracy_at_10 = model.evaluate(x_test, y_test, verbose=0)
train_loss_at_10 = first.history["loss"][-1]
more = model.fit(x_fit, y_fit, epochs=FIRST + MORE, initial_epoch=FIRST, batch_size=64,
                 validation_data=(x_val, y_val), verbose=0)
test_loss_at_end, test_accuracy_at_end = model.evaluate(x_test, y_test, verbose=0)
train_loss_at_end = more.history["loss"][-1]
history = {key: first.history[key] + more.history[key] for key in first.history}
print(f"{'after epoch':>11} {'training loss':>14} {'test loss':>10} {'test accuracy':>14}")
print(f"{FIRST:>11} {train_loss_at_10:>14.5f} {test_loss_at_10:>10.4f} "
      f"{test_accuracy_at_10:>14.4f}")
print(f"{FIRST + MORE:>11} {train_loss_at_end:>14.5f} {test_loss_at_end:>10.4f} "
      f"{test_accuracy_at_end:>14.4f}")

# %% compare
best_val_epoch = int(np.argmin(history["val_loss"])) + 1
best_val_loss = min(history["val_loss"])
train_loss_ratio = train_loss_at_10 / train_loss_at_end
val_accuracy_band = max(more.history["val_accuracy"]) - min(more.history["val_accuracy"])
print(f"training loss fell {train_loss_ratio:,.0f}-fold; validation loss was lowest after "
      f"epoch {best_val_epoch} ({best_val_loss:.4f}) and ended at {history['val_loss'][-1]:.4f}")
print(f"validation accuracy after epoch {FIRST} stayed within a band of {val_accuracy_band:.4f}")
print(f"test loss {test_loss_at_10:.4f} -> {test_loss_at_end:.4f}; test accuracy "
      f"{test_accuracy_at_10:.4f} -> {test_accuracy_at_end:.4f}")

# %% figure
epochs = np.arange(1, FIRST + MORE + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="overtraining")
left.plot(epochs, history["loss"], label="training")
left.plot(epochs, history["val_loss"], "--", label="validation")
left.axvline(FIRST, color="grey", ls=":", lw=1)
left.set(title="Cross-entropy per epoch", xlabel="epoch", ylabel="loss", yscale="log")
left.legend()
right.plot(epochs, history["accuracy"], label="training")
right.plot(epochs, history["val_accuracy"], "--", label="validation")
right.axvline(FIRST, color="grey", ls=":", lw=1)
right.set(title="Accuracy per epoch", xlabel="epoch", ylabel="accuracy")
fig.tight_layout()
plt.show()
