"""Weights as dials, loss, gradients and gradient descent on the smallest model there is.

A Dense layer with one input has two weights, a slope w and an intercept b. This script
turns them by hand, measures the loss by hand and with keras.losses, takes gradients with
tf.GradientTape, runs gradient descent written by hand next to model.fit, and draws the
descent on the loss surface.
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
# 64 noisy points around the line y = 3x - 1: x uniform in [-1, 3], noise with sd 0.5.
TRUE_W, TRUE_B, N = 3.0, -1.0, 64
rng = np.random.default_rng(SEED)
x = rng.uniform(-1.0, 3.0, size=(N, 1)).astype("float32")
y = (TRUE_W * x + TRUE_B + rng.normal(0.0, 0.5, size=(N, 1))).astype("float32")
# The model has to find w = 3 and b = -1.
# The noise moves the lowest point of the loss a little away from (3, -1): least squares finds it.
design = np.hstack([x, np.ones_like(x)]).astype("float64")
best_w, best_b = np.linalg.lstsq(design, y[:, 0].astype("float64"), rcond=None)[0]
print(f"{N} points, x in [{x.min():.2f}, {x.max():.2f}]")
print(f"true line:          w = {TRUE_W:.3f}, b = {TRUE_B:.3f}")
print(f"least-squares line: w = {best_w:.3f}, b = {best_b:.3f}  (the lowest loss on this data)")


# %% dials
def line_model(w, b):
    """A Dense(1) layer on one input, with its two weights set to w and b."""
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[w]], "float32"), np.array([b], "float32")])
    return model


model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
init_w, init_b = (float(v.numpy().ravel()[0]) for v in model.weights)
print(f"random initial weights: w = {init_w:.3f}, b = {init_b:.3f}")
probe = np.array([[2.0]], "float32")
dial_table = []
for w, b in [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (3.0, 0.0), (3.0, -1.0)]:
    model.set_weights([np.array([[w]], "float32"), np.array([b], "float32")])
    prediction = float(model(probe)[0, 0])
    dial_table.append({"w": w, "b": b, "prediction for x = 2": round(prediction, 4)})
    print(f"w = {w:4.1f}, b = {b:4.1f}  ->  prediction for x = 2: {prediction:6.2f}")

# %% loss
# Training starts from deliberately poor weights, so that the path is long enough to see.
START_W, START_B = -1.0, 4.0
model = line_model(START_W, START_B)
prediction = model(x).numpy()
mse_by_hand = float(np.mean((prediction - y) ** 2))
mse_keras = float(keras.losses.MeanSquaredError()(y, prediction))
print(f"MSE at w = {START_W}, b = {START_B}: by hand {mse_by_hand:.6f}, keras {mse_keras:.6f}")

# Cross-entropy: the loss for classes. Three examples, three classes, predicted probabilities.
probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]], "float32")
labels = np.array([0, 2, 0])
ce_by_hand = float(-np.mean(np.log(probabilities[np.arange(3), labels])))
ce_keras = float(keras.losses.SparseCategoricalCrossentropy()(labels, probabilities))
print(f"cross-entropy: by hand {ce_by_hand:.6f}, keras {ce_keras:.6f}")

# %% gradient
loss_fn = keras.losses.MeanSquaredError()
kernel, bias = model.trainable_variables
with tf.GradientTape() as tape:
    loss = loss_fn(y, model(x))
grad_w, grad_b = (float(g.numpy().ravel()[0]) for g in tape.gradient(loss, [kernel, bias]))
# The same derivatives with pen and paper: d/dw mean((wx + b - y)^2) = 2 mean((wx + b - y) x).
residual = (START_W * x + START_B - y).astype("float64")
analytic_w, analytic_b = float(2 * np.mean(residual * x)), float(2 * np.mean(residual))
print(f"dL/dw: tape {grad_w:.5f}, analytic {analytic_w:.5f}")
print(f"dL/db: tape {grad_b:.5f}, analytic {analytic_b:.5f}")

# %% one-weight
# One dial at a time: hold b at its best value, and the loss is a curve over w alone.
# Its slope at the current w is the gradient dL/dw; a step moves w against the slope.
LR = 0.1  # the learning rate, written eta in formulas
b_held = float(best_b)
w_dial = tf.Variable(START_W)
one_weight_steps = []
for step in range(4):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((w_dial * x[:, 0] + b_held - y[:, 0]) ** 2)
    slope = float(tape.gradient(loss, w_dial))
    one_weight_steps.append({"step": step, "w": round(float(w_dial.numpy()), 3),
                             "loss": round(float(loss), 3), "slope dL/dw": round(slope, 3)})
    print(f"step {step}: w = {float(w_dial.numpy()):6.3f}, loss {float(loss):7.3f}, "
          f"slope {slope:8.3f}")
    if step < 3:
        w_dial.assign_sub(LR * slope)  # w <- w - eta * dL/dw
first_slope = one_weight_steps[0]["slope dL/dw"]
w_moves = [later["w"] - earlier["w"] for earlier, later in
           zip(one_weight_steps, one_weight_steps[1:])]

ws = np.linspace(-1.5, 5.0, 200)
curve = np.mean((ws[:, None] * x[:, 0] + b_held - y[:, 0]) ** 2, axis=1)
fig, ax = plt.subplots(figsize=(6, 3.6), num="one_weight")
ax.plot(ws, curve, "k-", lw=1.2, label="loss L(w), b held")
start = one_weight_steps[0]
tangent = np.linspace(start["w"] - 0.8, start["w"] + 0.8, 2)
ax.plot(tangent, start["loss"] + first_slope * (tangent - start["w"]), "C1-", lw=2.5,
        label="slope at the start")
for earlier, later in zip(one_weight_steps, one_weight_steps[1:]):
    ax.annotate("", xy=(later["w"], later["loss"]), xytext=(earlier["w"], earlier["loss"]),
                arrowprops={"arrowstyle": "->", "color": "C0", "lw": 1.8})
ax.plot([s["w"] for s in one_weight_steps], [s["loss"] for s in one_weight_steps], "o",
        color="C0", label="w after each step")
ax.set_xlabel("w", fontsize=13)
ax.set_ylabel("loss", fontsize=13)
ax.set_title("Three steps downhill on one weight", fontsize=13)
ax.tick_params(labelsize=12)
ax.legend(fontsize=12)
fig.tight_layout()
plt.show()

# %% one-step
optimizer = keras.optimizers.SGD(learning_rate=LR)
loss_before_step = float(loss_fn(y, model(x)))
with tf.GradientTape() as tape:
    loss = loss_fn(y, model(x))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
loss_after_step = float(loss_fn(y, model(x)))
step_w, step_b = (float(v.numpy().ravel()[0]) for v in model.trainable_variables)
# Plain SGD's update is exactly  weight <- weight - learning_rate * gradient.
step_is_formula = bool(np.isclose(step_w, START_W - LR * grad_w)
                       and np.isclose(step_b, START_B - LR * grad_b))
print(f"before: w = {START_W:.3f}, b = {START_B:.3f}, loss {loss_before_step:.4f}")
print(f"after:  w = {step_w:.3f}, b = {step_b:.3f}, loss {loss_after_step:.4f}")
print(f"the step is weight - {LR} * gradient: {step_is_formula}")


# %% one-step-figure
def mse(w, b):
    """The loss as a plain function of the two weights (broadcasts over arrays of w and b)."""
    w, b = np.asarray(w)[..., None], np.asarray(b)[..., None]
    return np.mean((w * x[:, 0] + b - y[:, 0]) ** 2, axis=-1)


fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="one_step")
grid = np.linspace(-1.2, 3.2, 2)
left.scatter(x, y, s=10, color="grey", label="data")
left.plot(grid, START_W * grid + START_B, "C3", label=f"before: loss {loss_before_step:.1f}")
left.plot(grid, step_w * grid + step_b, "C0", label=f"after: loss {loss_after_step:.1f}")
left.set(title="The line before and after one step", xlabel="x", ylabel="y")
left.legend(fontsize=8)
# A learning rate lr walks lr * |gradient| through the (w, b) plane: the x axis is that distance,
# and the top axis gives the learning rate that walks it.
grad_norm = float(np.hypot(grad_w, grad_b))
step_distance = float(np.hypot(step_w - START_W, step_b - START_B))  # measured, not lr * norm
rates = np.linspace(0, 2.5 * LR, 100)
right.plot(rates * grad_norm, mse(START_W - rates * grad_w, START_B - rates * grad_b), "k-", lw=1)
right.plot([0], [loss_before_step], "o", color="C3", label="before the step")
right.plot([step_distance], [loss_after_step], "o", color="C0",
           label=f"after: learning rate {LR} walks {step_distance:.2f}")
right.set(title="Loss along the direction of the step",
          xlabel="distance walked in (w, b) along -gradient", ylabel="MSE")
top = right.secondary_xaxis("top", functions=(lambda d: d / grad_norm, lambda r: r * grad_norm))
top.set_xlabel("learning rate that walks this far", fontsize=8)
right.legend(fontsize=8)
print(f"|gradient| = {grad_norm:.3f}: learning rate {LR} walked {step_distance:.3f} in (w, b)")
fig.tight_layout()
plt.show()

# %% by-hand
STEPS = 100


def descend_by_hand(w, b, lr, steps):
    """Gradient descent written out: a tape, a loss, apply_gradients, in a loop."""
    model = line_model(w, b)
    optimizer = keras.optimizers.SGD(learning_rate=lr)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    path, losses = [(w, b)], []
    for _ in range(steps):
        losses.append(float(train_step()))
        path.append(tuple(float(v.numpy().ravel()[0]) for v in model.trainable_variables))
    return model, np.array(path), np.array(losses), train_step


hand_model, path, hand_losses, train_step = descend_by_hand(START_W, START_B, LR, STEPS)
hand_w, hand_b = path[-1]
print(f"after {STEPS} steps by hand: w = {hand_w:.4f}, b = {hand_b:.4f}, "
      f"loss {float(loss_fn(y, hand_model(x))):.4f}")

# %% fit
# model.fit on the same problem: same start, same optimizer, one full-data batch per update.
# Tiling the data STEPS times makes one epoch perform all STEPS updates, in order.
fit_model = line_model(START_W, START_B)
fit_model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR), loss="mse")
fit_model.fit(np.tile(x, (STEPS, 1)), np.tile(y, (STEPS, 1)), batch_size=N, epochs=1,
              shuffle=False, verbose=0)
fit_w, fit_b = (float(v.numpy().ravel()[0]) for v in fit_model.trainable_variables)
fit_gap = max(abs(fit_w - hand_w), abs(fit_b - hand_b))
final_loss = float(mse(hand_w, hand_b))
best_loss = float(mse(best_w, best_b))
print(f"model.fit:      w = {fit_w:.4f}, b = {fit_b:.4f}")
print(f"by hand:        w = {hand_w:.4f}, b = {hand_b:.4f}")
print(f"largest difference: {fit_gap:.2e}")
print(f"least squares:  w = {best_w:.4f}, b = {best_b:.4f}, "
      f"loss {best_loss:.4f} (descent ends at {final_loss:.4f})")

# %% trajectories
steps = np.arange(STEPS + 1)
fig, ax = plt.subplots(figsize=(6.5, 3.4), num="weight_trajectories")
ax.plot(steps, path[:, 0], "C0", label="w (slope)")
ax.plot(steps, path[:, 1], "C1", label="b (intercept)")
ax.axhline(TRUE_W, color="C0", ls="--", lw=1, label=f"true w = {TRUE_W:g}")
ax.axhline(TRUE_B, color="C1", ls="--", lw=1, label=f"true b = {TRUE_B:g}")
ax.set(title=f"Gradient descent by hand, learning rate {LR}", xlabel="step", ylabel="weight")
ax.legend(fontsize=8, ncol=2)
fig.tight_layout()
plt.show()

# %% surface
W, B = np.meshgrid(np.linspace(-1.5, 4.5, 121), np.linspace(-3.0, 5.0, 121))
fig, ax = plt.subplots(figsize=(6.5, 4.6), num="loss_surface")
contours = ax.contour(W, B, mse(W, B), levels=np.geomspace(0.2, 80, 14), cmap="viridis",
                      linewidths=1)
ax.clabel(contours, fontsize=7, fmt="%.1f")
ax.plot(path[:, 0], path[:, 1], "o-", color="C3", ms=2.5, lw=1, label="gradient descent")
ax.plot(*path[0], "s", color="C3", ms=7, label="start")
ax.plot(best_w, best_b, "*", color="k", ms=12, label="lowest loss (least squares)")
ax.plot(TRUE_W, TRUE_B, "x", color="k", ms=8, label="true (w, b)")
ax.set(title="MSE over the whole weight space (w, b)", xlabel="w (slope)",
       ylabel="b (intercept)")
ax.legend(fontsize=8, loc="upper right")
fig.tight_layout()
plt.show()

# %% hood
# What train_step really is: tf.function traced it once into a graph of TensorFlow operations.
# Reading the weights, the forward pass, the backward pass and the update are all in there.
operations = [op.type for op in train_step.get_concrete_function().graph.get_operations()]
op_counts = {kind: operations.count(kind) for kind in sorted(set(operations))}
weight_writes = op_counts["AssignSubVariableOp"]
print(f"{len(operations)} operations in one training step")
for kind in ("ReadVariableOp", "MatMul", "Sub", "Square", "Mean", "AssignSubVariableOp"):
    print(f"  {kind:<20} x{op_counts[kind]}")

# %% claims
kernel_random = init_w != 0.0
bias_random = init_b != 0.0
changes = np.diff(hand_losses)
# hand_losses[k] is the loss after k updates, so changes[k] is what update k + 1 did.
falling_steps = int(np.argmax(changes >= 0)) if np.any(changes >= 0) else len(changes)
largest_rise = float(max(changes.max(), 0.0))
within_rounding = largest_rise < 1e-6 * final_loss  # float32 keeps about 7 significant digits
tape_gap = max(abs(grad_w - analytic_w), abs(grad_b - analytic_b))
claims = [
    dict(source="000", claim="Weights start as random values",
         measured=f"a fresh Dense(1) starts with kernel w = {init_w:.3f} (random) and bias "
                  f"b = {init_b:.3f} (Keras initialises biases to zero)",
         verdict="holds" if kernel_random and bias_random else "depends" if kernel_random
         else "wrong"),
    dict(source="000", claim="Moving the weights against the gradient reduces the loss",
         measured=f"one apply_gradients step (learning rate {LR}) took the loss from "
                  f"{loss_before_step:.3f} to {loss_after_step:.3f}",
         verdict="holds" if loss_after_step < loss_before_step else "wrong"),
    dict(source="000", claim="TensorFlow computes the gradients automatically",
         measured=f"tf.GradientTape and the derivative by hand differ by at most "
                  f"{tape_gap:.1e}",
         verdict="holds" if tape_gap < 1e-4 else "wrong"),
    dict(source="000", claim="Gradient descent lowers the loss step by step",
         measured=f"the loss fell at each of the first {falling_steps} steps, "
                  f"{hand_losses[0]:.3f} -> {hand_losses[falling_steps]:.6f}; after that it "
                  f"rose by at most {largest_rise:.1e} (float32 rounding); least squares: "
                  f"{best_loss:.6f}",
         verdict="holds" if within_rounding else "depends"),
    dict(source="000", claim="model.fit runs the same loss-gradient-update loop for you",
         measured=f"final weights of model.fit and the hand-written loop differ by "
                  f"{fit_gap:.1e}",
         verdict="holds" if fit_gap < 1e-4 else "wrong"),
]
for claim in claims:
    print(f"[{claim['verdict']}] {claim['claim']}: {claim['measured']}")
