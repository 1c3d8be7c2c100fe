"""Overfitting on MNIST: a big network, 500 training images, and what the loss curves show.

Training loss heads for zero while validation loss turns round and rises; validation accuracy
does not follow the validation loss, so the two metrics tell different stories.
"""

# %% setup
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


(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = flatten(x_train)
x_small, y_small = x_train[:500], y_train[:500]  # 50 images per digit, on average
x_val, y_val = x_train[-2_000:], y_train[-2_000:]

# %% train
big = keras.Sequential([
    keras.Input(shape=(28 * 28,)),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
big.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
n_params = big.count_params()
print(f"{n_params} weights fitted to {len(x_small)} images")
# After each epoch: how many validation images are wrong, and their mean cross-entropy.
wrong_counts, wrong_losses = [], []


def count_wrong(epoch, logs):
    probabilities = big(x_val).numpy()
    wrong = probabilities.argmax(axis=1) != y_val
    wrong_counts.append(int(wrong.sum()))
    wrong_losses.append(float(-np.log(probabilities[wrong, y_val[wrong]]).mean()))


history = big.fit(x_small, y_small, epochs=20, batch_size=32, validation_data=(x_val, y_val),
                  callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=count_wrong)],
                  verbose=0)
h = history.history
for e in (0, 4, 9, 14, 19):
    print(f"epoch {e + 1:>2}: loss {h['loss'][e]:.4f}  accuracy {h['accuracy'][e]:.4f}  "
          f"val_loss {h['val_loss'][e]:.4f}  val_accuracy {h['val_accuracy'][e]:.4f}")

# %% gap
final_train_loss, final_val_loss = h["loss"][-1], h["val_loss"][-1]
best_epoch = int(np.argmin(h["val_loss"])) + 1
best_val_loss = min(h["val_loss"])
val_accuracy_at_best, final_val_accuracy = h["val_accuracy"][best_epoch - 1], h["val_accuracy"][-1]
# Epochs in which validation loss went up while validation accuracy did not go down.
disagree_epochs = [e + 1 for e in range(1, len(h["loss"]))
                   if h["val_loss"][e] > h["val_loss"][e - 1]
                   and h["val_accuracy"][e] >= h["val_accuracy"][e - 1]]
n_disagree, n_epoch_steps = len(disagree_epochs), len(h["loss"]) - 1
wrong_at_best, wrong_loss_at_best = wrong_counts[best_epoch - 1], wrong_losses[best_epoch - 1]
print(f"lowest validation loss {best_val_loss:.4f} at epoch {best_epoch}; "
      f"at epoch {len(h['loss'])}: {final_val_loss:.4f}")
print(f"training loss at the end: {final_train_loss:.5f}, training accuracy "
      f"{h['accuracy'][-1]:.4f}")
print(f"validation accuracy at epoch {best_epoch}: {val_accuracy_at_best:.4f}, "
      f"at the end: {final_val_accuracy:.4f}")
print(f"epochs where validation loss rose but validation accuracy did not fall: "
      f"{n_disagree} of {n_epoch_steps}")
print(f"wrong validation answers: {wrong_at_best} at epoch {best_epoch}, {wrong_counts[-1]} at "
      f"the end; their mean loss: {wrong_loss_at_best:.2f}, then {wrong_losses[-1]:.2f}")

# %% curves
epochs = np.arange(1, len(h["loss"]) + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="overfitting_curves")
left.plot(epochs, h["loss"], label="training")
left.plot(epochs, h["val_loss"], "--", label="validation")
left.axvline(best_epoch, color="grey", ls=":", label=f"lowest val loss (epoch {best_epoch})")
left.set(title="Loss: 500 images, 2x512 hidden units", xlabel="epoch", ylabel="cross-entropy")
left.legend()
right.plot(epochs, h["accuracy"], label="training")
right.plot(epochs, h["val_accuracy"], "--", label="validation")
right.axvline(best_epoch, color="grey", ls=":")
right.set(title="Accuracy", xlabel="epoch", ylabel="accuracy")
right.legend()
fig.tight_layout()
plt.show()

# %% remedies
# Three standard remedies, each trained like the big network: same data, seed and epochs.
def remedy(hidden, regularizer=None, dropout=0.0):
    keras.utils.set_random_seed(SEED)
    layers = [keras.Input(shape=(28 * 28,))]
    for units in hidden:
        layers.append(keras.layers.Dense(units, activation="relu",
                                         kernel_regularizer=regularizer))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    model = keras.Sequential([*layers, keras.layers.Dense(10, activation="softmax")])
    # With L2 the loss includes the penalty, so the cross-entropy is tracked on its own ("ce").
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", keras.metrics.SparseCategoricalCrossentropy(name="ce")])
    return model.fit(x_small, y_small, epochs=20, batch_size=32,
                     validation_data=(x_val, y_val), verbose=0).history


remedies = {
    "l2": remedy((512, 512), regularizer=keras.regularizers.L2(1e-3)),
    "dropout": remedy((512, 512), dropout=0.5),
    "smaller": remedy((32,)),
}
REMEDY_NAMES = {"l2": "L2 penalty 0.001", "dropout": "dropout 0.5",
                "smaller": "one layer of 32 units"}
remedy_table = [{"model": "2x512, no remedy", "final val loss": round(final_val_loss, 3),
                 "rise after its lowest": round(final_val_loss - best_val_loss, 3),
                 "final val accuracy": round(final_val_accuracy, 3)}]
for name, r in remedies.items():
    remedy_table.append({"model": REMEDY_NAMES[name], "final val loss": round(r["val_ce"][-1], 3),
                         "rise after its lowest": round(r["val_ce"][-1] - min(r["val_ce"]), 3),
                         "final val accuracy": round(r["val_accuracy"][-1], 3)})
for row in remedy_table:
    print(f"{row['model']:>22}: final val loss {row['final val loss']:.3f}, rise after its "
          f"lowest {row['rise after its lowest']:.3f}, "
          f"val accuracy {row['final val accuracy']:.3f}")
remedy_final_val_loss = {name: r["val_ce"][-1] for name, r in remedies.items()}
remedy_rise = {name: r["val_ce"][-1] - min(r["val_ce"]) for name, r in remedies.items()}
remedy_val_accuracy = {name: r["val_accuracy"][-1] for name, r in remedies.items()}

fig, ax = plt.subplots(figsize=(6, 3.6), num="remedies")
ax.plot(epochs, h["val_loss"], "k-", lw=2, label="no remedy")
for name, r in remedies.items():
    ax.plot(epochs, r["val_ce"], "--", label=REMEDY_NAMES[name])
ax.set(title="Validation loss: the overfitting network and three remedies", xlabel="epoch",
       ylabel="validation cross-entropy")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% claims
claims = [
    dict(source="002", claim="Very low training loss with poor test performance means the model "
                           "memorizes instead of learning",
         measured=f"training loss {final_train_loss:.4f} and training accuracy "
                  f"{h['accuracy'][-1]:.3f}, against validation loss {final_val_loss:.3f} "
                  f"(lowest {best_val_loss:.3f}, epoch {best_epoch}) and validation accuracy "
                  f"{final_val_accuracy:.3f}",
         verdict="holds" if final_train_loss < 0.01 and final_val_loss > best_val_loss
         and final_val_accuracy < h["accuracy"][-1] - 0.05 else "wrong"),
    dict(source="002", claim="A smaller loss means the model predicts more accurately",
         measured=f"after epoch {best_epoch} validation loss rose from {best_val_loss:.3f} to "
                  f"{final_val_loss:.3f}, while validation accuracy went from "
                  f"{val_accuracy_at_best:.3f} to {final_val_accuracy:.3f}; training loss fell "
                  f"to {final_train_loss:.4f}",
         verdict="depends" if final_val_loss > best_val_loss
         and final_val_accuracy >= val_accuracy_at_best - 0.005 else "holds",
         also=["metrics_overtraining"]),  # the same question, one classifier against itself
]
for c in claims:
    print(f"[{c['verdict']}] {c['claim']}: {c['measured']}")
