"""Pitfall: updating weights without gradients.

Fit the line y = 2x - 1 through six points twice from the same start: once with an update
that ignores the loss (subtract learning_rate * 0.1 from every weight, the source's wrong
approach), once with gradient descent (subtract learning_rate * gradient).
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
xs = tf.constant([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
ys = 2.0 * xs - 1.0  # the weights training should find: w = 2, b = -1
LEARNING_RATE, STEPS = 0.01, 2000
w_start = float(tf.random.uniform([], -1.0, 1.0, seed=SEED))
print(f"start: w = {w_start:.4f}, b = 0; target: w = 2, b = -1")


def mse(w, b):
    return tf.reduce_mean(tf.square(w * xs + b - ys))


# %% wrong
@tf.function
def arbitrary_step(w, b):
    loss = mse(w, b)
    for weight in (w, b):
        weight.assign(weight - LEARNING_RATE * 0.1)  # the same nudge, whatever the loss says
    return loss


# %% correct
@tf.function
def gradient_step(w, b):
    with tf.GradientTape() as tape:
        loss = mse(w, b)
    gradients = tape.gradient(loss, [w, b])
    for weight, gradient in zip((w, b), gradients):
        weight.assign(weight - LEARNING_RATE * gradient)  # downhill, by the slope
    return loss


# %% run
def train(step):
    """Losses before each of STEPS updates, plus the loss and weights after the last one."""
    w, b = tf.Variable(w_start), tf.Variable(0.0)
    losses = [float(step(w, b)) for _ in range(STEPS)]
    return losses + [float(mse(w, b))], float(w.numpy()), float(b.numpy())


wrong_losses, wrong_w, wrong_b = train(arbitrary_step)
right_losses, right_w, right_b = train(gradient_step)
wrong_start_loss, wrong_final_loss = wrong_losses[0], wrong_losses[-1]
right_final_loss = right_losses[-1]
wrong_best_step = int(np.argmin(wrong_losses))
print(f"{'update':>14} {'start loss':>11} {'lowest loss':>12} {'final loss':>11} "
      f"{'final w':>8} {'final b':>8}")
for name, losses, w, b in (("arbitrary", wrong_losses, wrong_w, wrong_b),
                           ("gradient", right_losses, right_w, right_b)):
    print(f"{name:>14} {losses[0]:>11.4f} {min(losses):>12.3g} {losses[-1]:>11.3g} "
          f"{w:>8.4f} {b:>8.4f}")
print(f"the arbitrary update's loss was lowest at update {wrong_best_step} of {STEPS}")

# %% literal
# The source's correct approach word for word, `weights = weights - learning_rate * gradients`,
# with the weight (here just w) held in a tf.Variable as usual.
weights = tf.Variable(w_start)
literal_error = None
for step in range(2):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(weights * xs - 1.0 - ys))
    gradients = tape.gradient(loss, weights)
    print(f"step {step}: weights is a {type(weights).__name__}, gradient {gradients}")
    try:
        weights = weights - LEARNING_RATE * gradients
    except TypeError as error:
        literal_error = f"{type(error).__name__}: {error}"
        print(literal_error)

# %% claims
claims = [
    dict(source="000",
         claim="Weight updates must be guided by gradients: an arbitrary fixed update does not "
               "train",
         measured=f"after {STEPS} updates: loss {wrong_final_loss:.3f} with the fixed nudge "
                  f"(w = {wrong_w:.2f}, b = {wrong_b:.2f}) against {right_final_loss:.1e} with "
                  f"the gradient (w = {right_w:.3f}, b = {right_b:.3f})",
         verdict="holds" if wrong_final_loss > 10 * right_final_loss else "wrong"),
    dict(source="000",
         claim="Correct approach: gradients = tape.gradient(loss, weights); "
               "weights = weights - learning_rate * gradients",
         measured="with weights in a tf.Variable, the first step works; the subtraction turns "
                  "the Variable into a plain Tensor, which the next tape does not watch: "
                  f"{literal_error}",
         verdict="depends" if literal_error else "holds"),
]

# %% curves
fig, ax = plt.subplots(figsize=(6.5, 3.5), num="loss_curves")
ax.plot(wrong_losses, label="weights - lr * 0.1 (no gradient)")
ax.plot(right_losses, label="weights - lr * gradient")
ax.set(yscale="log", title="Loss of the six-point line fit, per update", xlabel="update",
       ylabel="mean squared error")
ax.legend()
fig.tight_layout()
plt.show()
