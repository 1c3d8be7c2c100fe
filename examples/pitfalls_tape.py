"""Pitfall: asking one tf.GradientTape for gradients twice.

Runs the source's wrong code (a second tape.gradient call on the same tape) and prints the
error TensorFlow really raises, checks what persistent=True changes, then trains with the
correct pattern: a fresh tape for every step.
"""

# %% setup
import keras
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
inputs = flatten(x_train[:64])
labels = y_train[:64]
loss_fn = keras.losses.SparseCategoricalCrossentropy()


def build():
    """A fresh 784-16-10 classifier and its own SGD optimizer."""
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    return model, keras.optimizers.SGD(learning_rate=0.1)


model, optimizer = build()
print("one batch:", inputs.shape, " trainable tensors:", len(model.trainable_variables))

# %% wrong
with tf.GradientTape() as tape:
    predictions = model(inputs)
    loss = loss_fn(labels, predictions)
gradients = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(gradients, model.trainable_variables))
try:
    gradients = tape.gradient(loss, model.trainable_variables)  # the same tape, a second time
except Exception as error:  # caught so the script can go on; the page shows what was raised
    error_type, error_message = type(error).__name__, str(error)
    print(f"{error_type}: {error_message}")

# %% persistent
# persistent=True does allow a second call. But the tape recorded the forward pass at the old
# weights, so after the update it returns the old gradients again, not the new ones.
model, optimizer = build()
with tf.GradientTape(persistent=True) as tape:
    loss = loss_fn(labels, model(inputs))
first = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(first, model.trainable_variables))
second = tape.gradient(loss, model.trainable_variables)
del tape  # a persistent tape holds its resources until it is deleted
with tf.GradientTape() as fresh_tape:
    fresh_loss = loss_fn(labels, model(inputs))
fresh = fresh_tape.gradient(fresh_loss, model.trainable_variables)
second_equals_first = all(np.array_equal(a, b) for a, b in zip(first, second))
fresh_equals_first = all(np.array_equal(a, b) for a, b in zip(first, fresh))
print("persistent tape, second call after the update, same as the first call:",
      second_equals_first)
print("fresh tape after the update, same as the first call:", fresh_equals_first)

# %% correct
model, optimizer = build()
step_losses = []
for _ in range(10):
    with tf.GradientTape() as tape:  # a new tape records each step's forward pass
        predictions = model(inputs)
        loss = loss_fn(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    step_losses.append(float(loss))
print("loss at each of 10 steps:", " ".join(f"{v:.3f}" for v in step_losses))

# %% claims
claims = [
    dict(source="000",
         claim="Calling tape.gradient a second time on the same tape raises an error",
         measured=f"{error_type}: {error_message}",
         verdict="holds" if error_type == "RuntimeError" else "wrong"),
    dict(source="000",
         claim="Root cause: a gradient tape can only be used once per context",
         measured=f"TensorFlow says a non-persistent tape computes one set of gradients; "
                  f"with persistent=True a second call worked (and returned the old gradients "
                  f"again: {second_equals_first})",
         verdict="depends" if "non-persistent" in error_message and second_equals_first
         else "holds"),
    dict(source="000",
         claim="The fix is a fresh tape for each training step",
         measured=f"a fresh tape per step: loss {step_losses[0]:.3f} -> {step_losses[-1]:.3f} "
                  f"in 10 steps, with no error",
         verdict="holds" if step_losses[-1] < step_losses[0] else "wrong"),
]
