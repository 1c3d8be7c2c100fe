"""Pitfall: a learning rate so large that training diverges.

The source's two optimizers, SGD with learning_rate=10.0 and with learning_rate=0.01, fit the
line y = 2x - 1 through six points from the same starting weights, one full-batch update at
a time, and we record the loss before every update.
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
xs = tf.constant([[-1.0], [0.0], [1.0], [2.0], [3.0], [4.0]])
ys = 2.0 * xs - 1.0
STEPS = 500

# Full-batch SGD on a mean squared error converges only below 2 / (largest curvature), where
# the curvatures are the eigenvalues of the loss's Hessian, 2/N * X^T X with X = [x, 1].
design = np.hstack([xs.numpy(), np.ones((6, 1), "float32")])
largest_curvature = float(np.linalg.eigvalsh(2 / 6 * design.T @ design)[-1])
stable_below = 2 / largest_curvature
print(f"SGD on this data converges for learning rates below {stable_below:.4f}")


# %% train
def train(optimizer):
    """Losses before each of STEPS SGD updates and after the last; the final w and b."""
    keras.utils.set_random_seed(SEED)  # the same starting weights for both learning rates
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xs) - ys))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    losses = [float(step()) for _ in range(STEPS)]
    losses.append(float(tf.reduce_mean(tf.square(model(xs) - ys))))
    w, b = (float(v.numpy().ravel()[0]) for v in model.trainable_variables)
    return np.array(losses), w, b


# %% wrong
optimizer = tf.keras.optimizers.SGD(learning_rate=10.0)  # the source's line, as written
print("tf.keras.optimizers.SGD is keras.optimizers.SGD:", type(optimizer) is keras.optimizers.SGD)
big_losses, big_w, big_b = train(optimizer)
first_inf = int(np.argmax(np.isinf(big_losses)))
first_nan = int(np.argmax(np.isnan(big_losses)))
print("loss after 0, 1, ..., 11 updates:", " ".join(f"{v:.3g}" for v in big_losses[:12]))
growth = float(np.median(big_losses[1:first_inf] / big_losses[:first_inf - 1]))
predicted_growth = (1 - 10.0 * largest_curvature) ** 2  # the steepest direction's factor
print(f"each update multiplied the loss by about {growth:.3g} "
      f"(predicted from the curvature: {predicted_growth:.3g})")
print(f"the loss is inf after {first_inf} updates and nan after {first_nan}")
print(f"after {STEPS} updates: loss {big_losses[-1]}, w = {big_w}, b = {big_b}")

# %% correct
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)
small_losses, small_w, small_b = train(optimizer)
print(f"after {STEPS} updates: loss {small_losses[-1]:.2e}, w = {small_w:.4f}, b = {small_b:.4f}")

# %% claims
claims = [dict(
    source="000",
    claim="SGD with learning_rate=10.0 makes training diverge; learning_rate=0.01 converges",
    measured=f"learning_rate=10.0: loss inf after {first_inf} updates and nan after {first_nan}; "
             f"learning_rate=0.01: loss {small_losses[0]:.2f} -> {small_losses[-1]:.1e} in "
             f"{STEPS} updates (w = {small_w:.3f}, b = {small_b:.3f})",
    verdict="holds" if np.isnan(big_losses[-1]) and small_losses[-1] < 1e-3 else "wrong",
    also=["concept_lr_network"],  # the same pitfall on the MNIST network
)]

# %% curves
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="divergence")
shown = first_nan + 5
left.plot(np.arange(shown), big_losses[:shown], "o-", markersize=3, color="C3")
left.axvspan(first_inf - 0.5, first_nan - 0.5, color="orange", alpha=0.2, label="loss = inf")
left.axvspan(first_nan - 0.5, shown, color="gray", alpha=0.2, label="loss = nan")
left.set(yscale="log", title="learning_rate=10.0: diverges", xlabel="update",
         ylabel="mean squared error")
left.legend(loc="center right")
right.plot(small_losses, color="C0")
right.set(yscale="log", title="learning_rate=0.01: converges", xlabel="update")
fig.tight_layout()
plt.show()
