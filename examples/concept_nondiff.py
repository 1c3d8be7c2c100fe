"""Where gradient training stops working: operations with no useful gradient.

Rounding, thresholds and argmax are flat almost everywhere, so their gradient is zero or does
not exist. This script shows what tf.GradientTape returns through them, what happens when the
loss itself is the error rate, and two ways round it: a smooth stand-in loss (cross-entropy)
trained by gradient descent, and a search that never uses a gradient.
"""

# %% setup
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

# %% gradients
# d(output)/dv for one weight v = 0.7 passed through each operation.
v = tf.Variable(0.7)
operations = {
    "v * 3 (smooth)": lambda v: v * 3.0,
    "tf.round(v)": tf.round,
    "tf.floor(v)": tf.floor,
    "tf.sign(v)": tf.sign,
    "step: cast(v > 0)": lambda v: tf.cast(v > 0, tf.float32),
    "argmax([v, 1 - v])": lambda v: tf.cast(tf.argmax(tf.stack([v, 1.0 - v])), tf.float32),
}
gradient_table = []
for name, operation in operations.items():
    with tf.GradientTape() as tape:
        out = operation(v)
    gradient = tape.gradient(out, v)
    shown = "None" if gradient is None else f"{float(gradient):g}"
    gradient_table.append(dict(operation=name, output=f"{float(out):g}", gradient=shown))
    print(f"{name:>22}: output {float(out):g}, gradient {shown}")

# %% data
# Two overlapping clouds of 2-D points, 100 per class, and a linear classifier: 2 logits.
rng = np.random.default_rng(SEED)
points = np.concatenate([rng.normal([-1.0, -0.5], 1.0, (100, 2)),
                         rng.normal([1.0, 0.5], 1.0, (100, 2))]).astype("float32")
labels = np.repeat([0, 1], 100)
model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])
start_weights = model.get_weights()


def error_rate(model):
    """Fraction of points whose largest logit is the wrong class: the number we care about."""
    return tf.reduce_mean(tf.cast(tf.argmax(model(points), axis=1) != labels, tf.float32))


start_error = float(error_rate(model))
print(f"error rate of the random initial weights: {start_error:.3f}")

# %% error-as-loss
optimizer = keras.optimizers.SGD(learning_rate=0.1)
with tf.GradientTape() as tape:
    loss = error_rate(model)
error_gradients = tape.gradient(loss, model.trainable_variables)
print("gradients of the error rate:", error_gradients)
try:
    optimizer.apply_gradients(zip(error_gradients, model.trainable_variables))
    apply_error = "none"
except ValueError as error:
    apply_error = str(error)
print("apply_gradients:", apply_error)

# %% surrogate
# Cross-entropy rewards a larger probability for the right class: smooth, so it has a gradient.
cross_entropy = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@tf.function
def train_step():
    with tf.GradientTape() as tape:
        loss = cross_entropy(labels, model(points))
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                  model.trainable_variables))
    return loss


GD_STEPS = 100
gd_errors = [start_error]
for _ in range(GD_STEPS):
    train_step()
    gd_errors.append(float(error_rate(model)))
surrogate_error = gd_errors[-1]
print(f"after {GD_STEPS} gradient steps on cross-entropy: error rate {surrogate_error:.3f}")

# %% search
# A (1+1) evolution strategy on the error rate itself: jiggle all weights at random, keep the
# change if the error rate is no worse. It needs only loss values, never a gradient.
model.set_weights(start_weights)
current = [w.copy() for w in start_weights]
best = start_error
EVALUATIONS = 300
search_errors = [best]
for _ in range(EVALUATIONS):
    candidate = [w + rng.normal(0.0, 0.3, w.shape).astype("float32") for w in current]
    model.set_weights(candidate)
    error = float(error_rate(model))
    if error <= best:
        current, best = candidate, error
    search_errors.append(best)
search_error = best
print(f"after {EVALUATIONS} evaluations of random search: error rate {search_error:.3f}")

# %% slice-figure
# The two losses along one weight (the first kernel entry), all other weights at their start:
# every value of that weight at once, as a stack of 401 classifiers.
kernel, bias = start_weights
values = np.linspace(-1.5, 0.5, 401)
kernels = np.repeat(kernel[None], len(values), axis=0)
kernels[:, 0, 0] = values
logits = np.einsum("ni,kio->kno", points, kernels) + bias
slice_error = np.mean(np.argmax(logits, axis=2) != labels, axis=1)
slice_ce = np.mean(keras.losses.sparse_categorical_crossentropy(
    np.broadcast_to(labels, logits.shape[:2]), logits, from_logits=True), axis=1)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.3), num="flat_loss")
left.plot(values, slice_error, color="C3", drawstyle="steps-post", label="error rate")
left.set(title="Both losses along one weight", xlabel="first kernel weight",
         ylabel="error rate")
twin = left.twinx()
twin.plot(values, slice_ce, color="C0", label="cross-entropy")
twin.set_ylabel("cross-entropy", color="C0")
left.legend(handles=left.lines + twin.lines, fontsize=8, loc="upper left")
right.plot(search_errors, color="C2", label="random search on the error rate")
right.plot(gd_errors, color="C0", label="gradient descent on cross-entropy")
right.set(title="Error rate, lowered two ways", xlabel="evaluation or gradient step",
          ylabel="error rate")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% more-draws
# One draw of the clouds and the starting weights can tie. The same two methods, written out in
# NumPy (the classifier is two dot products), on 20 fresh draws: which ends lower, how often?
def softmax(logits):
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def one_draw(seed):
    """(random search's final error rate, gradient descent's) on a fresh draw of everything."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal([-1.0, -0.5], 1.0, (100, 2)),
                        rng.normal([1.0, 0.5], 1.0, (100, 2))])
    limit = np.sqrt(6 / (2 + 2))  # Glorot uniform for 2 inputs and 2 outputs, as Keras draws
    w_start, b_start = rng.uniform(-limit, limit, (2, 2)), np.zeros(2)

    def error(w, b):
        return float(np.mean(np.argmax(x @ w + b, axis=1) != labels))

    w, b = w_start.copy(), b_start.copy()
    for _ in range(GD_STEPS):  # cross-entropy's gradient: softmax minus the one-hot labels
        residual = softmax(x @ w + b)
        residual[np.arange(len(labels)), labels] -= 1
        residual /= len(labels)
        w, b = w - 0.1 * x.T @ residual, b - 0.1 * residual.sum(axis=0)
    descended = error(w, b)
    w, b, best_here = w_start, b_start, error(w_start, b_start)
    for _ in range(EVALUATIONS):
        w_try, b_try = w + rng.normal(0.0, 0.3, w.shape), b + rng.normal(0.0, 0.3, b.shape)
        if (tried := error(w_try, b_try)) <= best_here:
            w, b, best_here = w_try, b_try, tried
    return best_here, descended


DRAWS = [SEED + 1 + k for k in range(20)]  # other draws than the one above
draws = [one_draw(seed) for seed in DRAWS]
draw_count = len(DRAWS)
search_lower = sum(s < g for s, g in draws)
search_level = sum(s == g for s, g in draws)
search_higher = len(DRAWS) - search_lower - search_level
print(f"over {len(DRAWS)} other draws, random search ended lower than gradient descent in "
      f"{search_lower}, level in {search_level}, higher in {search_higher}")

# %% claims
search_first = search_errors.index(search_error)  # evaluations until its final error rate
gd_first = gd_errors.index(surrogate_error)  # steps until its final error rate
no_gradient = all(g is None for g in error_gradients)
none_through = [row["operation"] for row in gradient_table if row["gradient"] == "None"]
zero_through = [row["operation"] for row in gradient_table if row["gradient"] == "0"]
claims = [
    dict(source="000", claim="Gradient-based training does not work directly on discrete, "
                           "non-differentiable parts",
         measured=f"the tape returns None through {', '.join(none_through)} and 0 through "
                  f"{', '.join(zero_through)}; apply_gradients on the error rate raised: "
                  f"{apply_error}",
         verdict="holds" if no_gradient and apply_error != "none" else "wrong"),
    dict(source="000", claim="Gradient-free methods such as evolutionary algorithms may be "
                           "better there",
         measured=f"a (1+1) evolution strategy on the error rate itself reached "
                  f"{search_error:.3f} in {EVALUATIONS} evaluations; gradient descent on a "
                  f"smooth stand-in (cross-entropy) reached {surrogate_error:.3f} in {GD_STEPS} "
                  f"steps (start: {start_error:.3f}); over {len(DRAWS)} other draws the search "
                  f"ended lower in {search_lower}, level in {search_level}, higher in "
                  f"{search_higher}",
         verdict="holds" if search_lower >= 0.75 * len(DRAWS)
         else "wrong" if search_higher >= 0.75 * len(DRAWS) else "depends"),
    dict(source="000", claim="Random search is too slow or ineffective compared with gradients",
         measured=f"with 6 weights, random search first reached error rate {search_error:.3f} "
                  f"after {search_first} evaluations, gradient descent {surrogate_error:.3f} "
                  f"after {gd_first} steps; larger models were not measured here",
         verdict="holds" if (search_error, search_first) > (surrogate_error, gd_first)
         else "depends"),
]
for claim in claims:
    print(f"[{claim['verdict']}] {claim['claim']}: {claim['measured']}")
