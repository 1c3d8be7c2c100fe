"""The optimizers' update rules, executed: a few lines of NumPy each, beside Keras' own.

SGD with momentum, RMSprop and Adam are written out as NumPy functions and stepped beside
Keras' optimizers on the same gradients, from a softmax classifier of MNIST digits; the
weights they produce are compared. Then three things the rules explain: what Adam's first
steps would be without its bias correction, how AdamW's decoupled weight decay differs from
an L2 penalty added to the loss, and what a learning-rate warmup does to Adam's first steps.
"""

# %% setup
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
STEPS = 50
BATCH = 64
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 28 * 28).astype("float32") / 255.0
x_test = x_test.reshape(-1, 28 * 28).astype("float32") / 255.0
loss_fn = keras.losses.SparseCategoricalCrossentropy()


def build_model():
    """784 pixels -> 10 softmax outputs: 7,850 weights, small enough to step by hand."""
    keras.utils.set_random_seed(SEED)
    return keras.Sequential([keras.Input(shape=(28 * 28,)),
                             keras.layers.Dense(10, activation="softmax")])


def batches(count):
    """The same ``count`` minibatches, in the same order, for every optimizer."""
    order = np.random.default_rng(SEED).permutation(len(x_train))
    for step in range(count):
        rows = order[step * BATCH:(step + 1) * BATCH]
        yield x_train[rows], y_train[rows]


@tf.function  # traced once per model (and loss); the steps then run as one graph each
def gradients(model, x, y, extra_loss=None):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
        if extra_loss is not None:
            loss += extra_loss(model)
    return tape.gradient(loss, model.trainable_variables)


# %% rules
# Each rule takes the weights, one gradient, its own state (a dict) and the step number t
# (1, 2, ...) and returns the new weights. They follow Keras' code, constants included.
def sgd_momentum(w, g, state, t, lr=0.01, momentum=0.9):
    velocity = momentum * state.get("velocity", 0) - lr * g
    state["velocity"] = velocity
    return w + velocity


def rmsprop(w, g, state, t, lr=0.001, rho=0.9, epsilon=1e-7):
    mean_square = rho * state.get("mean_square", 0) + (1 - rho) * g**2
    state["mean_square"] = mean_square
    return w - lr * g / np.sqrt(mean_square + epsilon)


def adam(w, g, state, t, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, correct=True):
    m = state.get("m", 0) + (1 - beta_1) * (g - state.get("m", 0))  # running mean of g
    v = state.get("v", 0) + (1 - beta_2) * (g**2 - state.get("v", 0))  # ... and of g squared
    state["m"], state["v"] = m, v
    # Both averages start at zero, so early on they are too small by the factors
    # (1 - beta^t); Keras folds that bias correction into the step size.
    alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) if correct else lr
    return w - alpha * m / (np.sqrt(v) + epsilon)


RULES = {
    "SGD, momentum 0.9": (sgd_momentum, lambda: keras.optimizers.SGD(0.01, momentum=0.9)),
    "RMSprop": (rmsprop, lambda: keras.optimizers.RMSprop(0.001)),
    "Adam": (adam, lambda: keras.optimizers.Adam(0.001)),
}

# %% side-by-side
agreement = []
for name, (rule, make_optimizer) in RULES.items():
    model, optimizer = build_model(), make_optimizer()
    mine = [v.numpy().astype("float32") for v in model.trainable_variables]
    start = [w.copy() for w in mine]
    states = [{} for _ in mine]
    for t, (x, y) in enumerate(batches(STEPS), 1):
        grads = gradients(model, x, y)  # computed once, given to both
        mine = [rule(w, g.numpy(), s, t).astype("float32") for w, g, s in zip(mine, grads, states)]
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    theirs = [v.numpy() for v in model.trainable_variables]
    gap = max(float(np.abs(a - b).max()) for a, b in zip(mine, theirs))
    moved = max(float(np.abs(b - s).max()) for b, s in zip(theirs, start))
    agreement.append({"optimizer": name, "steps": STEPS, "largest move": moved,
                      "largest difference": gap, "difference / move": gap / moved})
    print(f"{name:<18} after {STEPS} steps: weights moved up to {moved:.2e}; "
          f"NumPy and Keras differ by at most {gap:.1e} ({gap / moved:.1e} of the move)")
worst_agreement = max(row["difference / move"] for row in agreement)
smallest_move = min(row["largest move"] for row in agreement)

# %% bias-correction
# Adam's step for each weight, divided by the learning rate, over the first steps: with the
# correction and without it. Only weights whose pixel is lit in the batch get a gradient.
def adam_step_sizes(correct, count=STEPS, learning_rate=None):
    model = build_model()
    w = model.trainable_variables[0].numpy()
    state, sizes = {}, []
    for t, (x, y) in enumerate(batches(count), 1):
        g = gradients(model, x, y)[0].numpy()
        lr = 0.001 if learning_rate is None else learning_rate(t)
        new = adam(w, g, state, t, lr=lr, correct=correct)
        step = np.abs(new - w)[np.abs(g) > 0]
        sizes.append(float(np.median(step)) / 0.001)
        w = new
        model.trainable_variables[0].assign(w)
    return sizes


corrected = adam_step_sizes(correct=True)
uncorrected = adam_step_sizes(correct=False)
t = np.arange(1, STEPS + 1)
steady_gradient_ratio = (1 - 0.9**t) / np.sqrt(1 - 0.999**t)  # uncorrected / corrected
print(f"median step / learning rate at step 1: corrected {corrected[0]:.2f}, "
      f"uncorrected {uncorrected[0]:.2f}")
peak_step = int(np.argmax(uncorrected)) + 1
uncorrected_always_larger = all(u > c for u, c in zip(uncorrected, corrected))
uncorrected_peak, steady_peak = max(uncorrected), float(steady_gradient_ratio.max())
print(f"uncorrected steps peak at step {peak_step}: {max(uncorrected):.2f} times the "
      f"learning rate (for a steady gradient the factor would be "
      f"{steady_gradient_ratio.max():.2f}, at step {int(steady_gradient_ratio.argmax()) + 1})")
print(f"at step {STEPS}: corrected {corrected[-1]:.2f}, uncorrected {uncorrected[-1]:.2f}")

# %% warmup
WARMUP = 20


def warmup(t):
    """A linear warmup: the rate grows from 1/WARMUP of its value to all of it."""
    return 0.001 * min(1.0, t / WARMUP)


warmed = adam_step_sizes(correct=True, learning_rate=warmup)
warmed_at_end, corrected_at_end = warmed[WARMUP - 1], corrected[WARMUP - 1]
print(f"with a {WARMUP}-step warmup, median step / learning rate: step 1 {warmed[0]:.3f}, "
      f"step {WARMUP} {warmed_at_end:.2f} (without warmup {corrected_at_end:.2f})")

fig, ax = plt.subplots(num="adam_first_steps", figsize=(7, 4))
ax.plot(t, uncorrected, label="Adam without bias correction")
ax.plot(t, corrected, label="Adam (with bias correction)")
ax.plot(t, warmed, label=f"Adam with a {WARMUP}-step linear warmup")
ax.plot(t, steady_gradient_ratio, ":", color="grey",
        label="no correction, steady gradient: (1 - 0.9^t) / sqrt(1 - 0.999^t)")
ax.set(xlabel="step", ylabel="median |step| / learning rate",
       title="Adam's first steps, measured on MNIST minibatches")
ax.legend(fontsize=8)
plt.show()

# %% weight-decay
# The same decay strength two ways: AdamW shrinks each weight by lr * decay * w per step,
# outside Adam's scaling; "L2" adds decay/2 * |w|^2 to the loss, so its gradient, decay * w,
# goes through Adam's division by the root mean square like any other gradient.
DECAY = 0.1
DECAY_STEPS = 300
blank = x_train.max(axis=0) == 0  # pixels that are 0 in every training image
blank_rows = np.repeat(blank[:, None], 10, axis=1)
blank_count = int(blank.sum())


def train_with(optimizer, extra_loss=None):
    model = build_model()
    kernel_start = model.trainable_variables[0].numpy()
    for x, y in batches(DECAY_STEPS):
        optimizer.apply_gradients(zip(gradients(model, x, y, extra_loss),
                                      model.trainable_variables))
    kernel = model.trainable_variables[0].numpy()
    kept = {part: float(np.linalg.norm(kernel[rows]) / np.linalg.norm(kernel_start[rows]))
            for part, rows in (("blank", blank_rows), ("lit", ~blank_rows))}
    accuracy = float(np.mean(model(x_test).numpy().argmax(axis=1) == y_test))
    return {"blank_pixels_kept": kept["blank"], "lit_pixels_kept": kept["lit"],
            "test_accuracy": accuracy}


def l2_penalty(model):
    return DECAY / 2 * tf.add_n([tf.reduce_sum(v**2) for v in model.trainable_variables])


decay = {
    "Adam, no decay": train_with(keras.optimizers.Adam(0.001)),
    "AdamW": train_with(keras.optimizers.AdamW(0.001, weight_decay=DECAY)),
    "Adam + L2 in the loss": train_with(keras.optimizers.Adam(0.001), l2_penalty),
}
decay_table = [{"optimizer": name, **row} for name, row in decay.items()]
print(f"{blank_count} of 784 pixels are blank in every training image; after "
      f"{DECAY_STEPS} steps, the share of their weights' size that is left:")
for name, row in decay.items():
    print(f"  {name:<22} blank {row['blank_pixels_kept']:.3f}   "
          f"lit {row['lit_pixels_kept']:.3f}   test accuracy {row['test_accuracy']:.3f}")
adamw_shrink_expected = (1 - 0.001 * DECAY) ** DECAY_STEPS
print(f"AdamW's decay alone would keep (1 - lr * decay)^{DECAY_STEPS} = "
      f"{adamw_shrink_expected:.3f} of a weight that gets no gradient")
