"""Fewer-bit arithmetic in training: the MNIST network under a mixed-precision policy.

Under Keras' "mixed_float16" policy each layer computes in float16 (5 fewer bits of
exponent, 13 fewer of mantissa than float32) while its weights stay float32, and
`compile` wraps the optimizer in a LossScaleOptimizer: it multiplies the loss by a large
factor before the gradient is taken, so small gradients do not round to zero in float16,
and divides the gradients by it again before the update. This script trains the experiment
page's network that way and in plain float32, from the same seed on the same images, and
compares. Float16 arithmetic is slow on most CPUs (TensorFlow has no fast float16 kernels
for them), so both train for one epoch on the first 12,000 training images.
"""

# %% setup
import time

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


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, y_train = flatten(x_train[:12000]), y_train[:12000]
x_test = flatten(x_test)
print("training images:", x_train.shape, " test images:", x_test.shape)


# %% train
def train(policy):
    """One epoch of the experiment's network under a dtype policy, from seed 0."""
    keras.mixed_precision.set_global_policy(policy)
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        # The softmax and the loss stay in float32: float16 exponentials overflow easily.
        keras.layers.Dense(10, activation="softmax", name="output", dtype="float32"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=64)
    started = time.perf_counter()
    history = model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
    epoch_seconds[policy] = time.perf_counter() - started  # wall clock: differs run to run
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    hidden = model.get_layer("hidden")
    described = dict(policy=policy, optimizer=type(model.optimizer).__name__,
                     compute_dtype=hidden.compute_dtype, weight_dtype=hidden.kernel.dtype,
                     train_loss=history.history["loss"][0], test_loss=test_loss,
                     test_accuracy=test_accuracy)
    if hasattr(model.optimizer, "dynamic_scale"):
        described["loss_scale"] = float(model.optimizer.dynamic_scale.numpy())
    keras.mixed_precision.set_global_policy("float32")
    return described


epoch_seconds = {}
runs = {policy: train(policy) for policy in ("float32", "mixed_float16")}
for r in runs.values():
    print(f"{r['policy']:>14}: computes in {r['compute_dtype']}, keeps weights in "
          f"{r['weight_dtype']}, optimizer {r['optimizer']}")
    print(f"{'':>16}epoch loss {r['train_loss']:.4f}, test loss {r['test_loss']:.4f}, "
          f"test accuracy {r['test_accuracy']:.4f}, epoch {epoch_seconds[r['policy']]:.1f}s")
print(f"loss scale at the end of the float16 epoch: {runs['mixed_float16']['loss_scale']:g}")

# %% compare
accuracy_gap = runs["mixed_float16"]["test_accuracy"] - runs["float32"]["test_accuracy"]
loss_gap = runs["mixed_float16"]["test_loss"] - runs["float32"]["test_loss"]
float32_speedup = epoch_seconds["mixed_float16"] / epoch_seconds["float32"]
print(f"mixed_float16 - float32: test accuracy {accuracy_gap:+.4f}, test loss {loss_gap:+.4f}")
print(f"on this CPU float32 was {float32_speedup:.1f}x faster")

# %% underflow
# Why the loss is scaled: the float32 gradients of one batch, rounded to float16.
keras.utils.set_random_seed(SEED)
probe = keras.Sequential([keras.Input(shape=(28 * 28,)),
                          keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
with tf.GradientTape() as tape:
    loss = keras.losses.sparse_categorical_crossentropy(y_train[:32], probe(x_train[:32]))
    loss = tf.reduce_mean(loss)
gradients = np.concatenate([g.numpy().ravel() for g in
                            tape.gradient(loss, probe.trainable_variables)])
nonzero = gradients[gradients != 0]
underflow = float(np.mean(nonzero.astype("float16") == 0))
underflow_scaled = float(np.mean((nonzero * 2.0 ** 15).astype("float16") == 0))
print(f"non-zero gradient entries of one batch: {nonzero.size}; smallest |entry| "
      f"{np.abs(nonzero).min():.1e}")
print(f"rounded to float16, {underflow:.1%} of them become 0; "
      f"scaled by 2**15 first, {underflow_scaled:.1%}")
