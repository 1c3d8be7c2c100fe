"""Myth: training adjusts the weights once, using all the data at the same time.

model.fit updates the weights once per batch, not once per dataset. We count the updates
with the optimizer's own counter and record the loss on the whole training subset after
every single one, then compare with training that really does use all the data per update.
"""

# %% setup
import math

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
x_train = flatten(x_train[:2000])
y_train = y_train[:2000]
print("training images:", x_train.shape)


# %% train
class LossAfterEachUpdate(keras.callbacks.Callback):
    """Cross-entropy on all training images, before training and after every weight update."""

    def loss_now(self):
        probabilities = self.model(x_train)
        return float(np.mean(keras.losses.sparse_categorical_crossentropy(y_train, probabilities)))

    def on_train_begin(self, logs=None):
        self.losses = [self.loss_now()]

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(self.loss_now())


def train(data, **fit_options):
    """Fit a fresh 784-32-10 network with Adam; return its update count and loss after each."""
    keras.utils.set_random_seed(SEED)  # the same starting weights every time
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    recorder = LossAfterEachUpdate()
    model.fit(*data, verbose=0, callbacks=[recorder], **fit_options)
    return int(model.optimizer.iterations.numpy()), recorder.losses


n = len(x_train)
EPOCHS, BATCH_SIZE = 3, 32
updates, batch_losses = train((x_train, y_train), batch_size=BATCH_SIZE, epochs=EPOCHS)
expected_updates = EPOCHS * math.ceil(n / BATCH_SIZE)
print(f"batch_size={BATCH_SIZE}, {EPOCHS} epochs: optimizer.iterations = {updates} "
      f"(epochs * ceil({n} / {BATCH_SIZE}) = {expected_updates})")
print(f"loss on all {n} images: {batch_losses[0]:.4f} before, {batch_losses[-1]:.4f} after")

# %% full-batch
# One update per epoch, computed from all 2000 images at once: the "all data" picture.
full_updates, full_losses = train((x_train, y_train), batch_size=n, epochs=EPOCHS)
print(f"batch_size={n}, {EPOCHS} epochs: optimizer.iterations = {full_updates}; "
      f"loss {full_losses[0]:.4f} -> {full_losses[-1]:.4f}")
# As many full-batch updates as the batches got: that takes as many passes over the data.
# (One fit "epoch" that repeats the whole set as one batch, to skip per-epoch overhead.)
all_data_repeated = tf.data.Dataset.from_tensors((x_train, y_train)).repeat()
long_full_updates, long_full_losses = train((all_data_repeated,), steps_per_epoch=updates,
                                             shuffle=False)
print(f"batch_size={n}, {updates} passes: optimizer.iterations = {long_full_updates}; "
      f"loss {long_full_losses[0]:.4f} -> {long_full_losses[-1]:.4f}")

# %% noise
steps_up = int(np.sum(np.diff(batch_losses) > 0))
print(f"updates after which the loss on all {n} images went UP: {steps_up} of {updates}")


# How far is a batch's gradient from the gradient on all the data? At the starting weights,
# over the batches of one shuffled epoch: root mean square distance, as a share of the full
# gradient's length (batches sorted, so a batch of all the data would give exactly 0).
def gradient(model, images, labels):
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(labels, model(images))
        loss = tf.reduce_mean(loss)
    return tf.concat([tf.reshape(g, [-1])
                      for g in tape.gradient(loss, model.trainable_variables)], axis=0)


keras.utils.set_random_seed(SEED)  # the starting weights of every run above
start_model = keras.Sequential([
    keras.Input(shape=(28 * 28,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
full_gradient = gradient(start_model, x_train, y_train)
order = np.random.default_rng(SEED).permutation(n)
gaps = [float(tf.norm(gradient(start_model, x_train[part], y_train[part]) - full_gradient))
        for part in (np.sort(order[i:i + BATCH_SIZE]) for i in range(0, n, BATCH_SIZE))]
spread = float(np.sqrt(np.mean(np.square(gaps))) / float(tf.norm(full_gradient)))
print(f"a batch of {BATCH_SIZE}'s gradient is off the full one by {spread:.0%} of its length")

claims = [
    dict(source="000",
         claim="Training does not adjust the weights once with all the data: it takes many small "
               "steps, one per batch",
         measured=f"{EPOCHS} epochs of {n} images in batches of {BATCH_SIZE}: "
                  f"optimizer.iterations = {updates} (expected {expected_updates})",
         verdict="holds" if updates == expected_updates > EPOCHS else "wrong"),
    dict(source="000",
         claim="Weight updates are noisy because each batch is a sample of the data",
         measured=f"at the starting weights a batch of {BATCH_SIZE}'s gradient was off the "
                  f"gradient on all {n} images by {spread:.0%} of its length; the loss on all "
                  f"of them rose after {steps_up} of the {updates} updates, although it fell "
                  f"overall from {batch_losses[0]:.3f} to {batch_losses[-1]:.3f}",
         verdict="holds" if spread > 0.25 and batch_losses[-1] < batch_losses[0] else "wrong"),
]

# %% curves
steps_per_epoch = math.ceil(n / BATCH_SIZE)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True, num="loss_per_update")
left.plot(np.arange(updates + 1) / steps_per_epoch, batch_losses, lw=1,
          label=f"batches of {BATCH_SIZE} ({updates} updates)")
left.plot(np.arange(full_updates + 1), full_losses, "o-",
          label=f"all {n} images ({full_updates} updates)")
left.set(title=f"Same {EPOCHS} epochs of data", xlabel="epochs", ylabel="loss on all images")
left.legend(fontsize=8)
right.plot(np.arange(updates + 1), batch_losses, lw=1, label=f"batches of {BATCH_SIZE}")
right.plot(np.arange(long_full_updates + 1), long_full_losses,
           label=f"all {n} images per update")
right.set(title=f"Same {updates} weight updates", xlabel="weight updates")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()
