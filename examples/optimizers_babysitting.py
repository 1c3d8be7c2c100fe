"""Babysitting a real network: the checks to run before and while it trains.

The experiment page's network (784 -> 64 ReLU -> 10 softmax), plain SGD, on 20,000 MNIST
training images in batches of 64. In the order one would run them:

1. the loss at the start against chance, and overfitting a handful of images;
2. a learning-rate range test: one short run whose rate grows at every step;
3. one epoch at a rate too low, one too high and one that the range test suggests, side by
   side, recording each layer's update-to-weight ratio at every step;
4. the gradient's noise: at the trained weights, how much the gradient of a minibatch
   scatters around the gradient of all 20,000 images, for batch sizes from 8 to 2,048.
"""

# %% setup
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
IMAGES = 20_000
BATCH = 64
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x = x_train[:IMAGES].reshape(-1, 28 * 28).astype("float32") / 255.0
y = y_train[:IMAGES]
x_test = x_test.reshape(-1, 28 * 28).astype("float32") / 255.0
loss_fn = keras.losses.SparseCategoricalCrossentropy()


def build_model():
    keras.utils.set_random_seed(SEED)
    return keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])


def sgd_trainer(model):
    """One plain SGD step at a given rate: returns the batch loss and, per layer, the size of
    the update divided by the size of the weights, ||lr * gradient|| / ||w||."""
    kernels = [model.get_layer("hidden").kernel, model.get_layer("output").kernel]

    @tf.function
    def step(xb, yb, rate):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb))
        grads = tape.gradient(loss, model.trainable_variables)
        # trainable_variables: hidden kernel, hidden bias, output kernel, output bias
        ratios = [rate * tf.norm(g) / tf.norm(w) for g, w in zip(grads[0::2], kernels)]
        for g, w in zip(grads, model.trainable_variables):
            w.assign_sub(rate * g)
        return loss, tf.stack(ratios)

    return step


def batches(steps, seed=SEED):
    order = np.random.default_rng(seed).permutation(IMAGES)
    for k in range(steps):
        rows = order[(k * BATCH) % IMAGES:(k * BATCH) % IMAGES + BATCH]
        yield x[rows], y[rows]


# %% sanity
model = build_model()
start_loss = float(loss_fn(y, model(x)))
chance_loss = float(np.log(10))
print(f"loss at the start: {start_loss:.3f}; a network that knows nothing: ln(10) = "
      f"{chance_loss:.3f}")

TINY = 20
step = sgd_trainer(model)
tiny_x, tiny_y = x[:TINY], y[:TINY]
tiny_losses = [float(step(tiny_x, tiny_y, tf.constant(0.5))[0]) for _ in range(200)]
print(f"overfitting {TINY} images, 200 full-batch steps at rate 0.5: loss "
      f"{tiny_losses[0]:.3f} -> {tiny_losses[-1]:.5f}, training accuracy "
      f"{float(np.mean(model(tiny_x).numpy().argmax(1) == tiny_y)):.0%}")
tiny_final = tiny_losses[-1]

# %% range-test
# One run of 300 steps whose rate grows by the same factor at every step, from 1e-4 to 10.
# The loss falls slowly at tiny rates, fast at good ones, and blows up past the largest
# usable rate. The suggestion: a tenth of the rate where the smoothed loss was lowest.
RANGE_STEPS = 300
range_rates = np.geomspace(1e-4, 10, RANGE_STEPS)
model = build_model()
step = sgd_trainer(model)
range_losses = []
for rate, (xb, yb) in zip(range_rates, batches(RANGE_STEPS)):
    loss = float(step(xb, yb, tf.constant(rate, tf.float32))[0])
    range_losses.append(loss if np.isfinite(loss) else np.nan)
    if not np.isfinite(loss) or loss > 4 * chance_loss:
        break
smoothed = np.convolve(np.nan_to_num(range_losses, nan=np.inf), np.ones(10) / 10, mode="valid")
lowest_at = int(np.argmin(smoothed)) + 9
lowest_rate = float(range_rates[lowest_at])
suggested_rate = lowest_rate / 10
print(f"range test: the smoothed loss was lowest at rate {lowest_rate:.3g} (step "
      f"{lowest_at + 1}); the run stopped after {len(range_losses)} steps at rate "
      f"{range_rates[len(range_losses) - 1]:.3g}; suggested rate: {suggested_rate:.3g}")

# %% rates
# One epoch (312 steps) at three rates: a hundredth of the suggestion, the suggestion, and
# ten times the rate where the range test's loss was lowest.
RATES = {"low": suggested_rate / 100, "suggested": suggested_rate, "high": lowest_rate * 10}
NAMES = {"low": "too low", "suggested": "suggested", "high": "too high"}
EPOCH = IMAGES // BATCH
curves, update_ratios, test_accuracy, end_loss = {}, {}, {}, {}
for label, rate in RATES.items():
    model = build_model()
    step = sgd_trainer(model)
    losses, ratios = [], []
    for xb, yb in batches(EPOCH):
        loss, ratio = step(xb, yb, tf.constant(rate, tf.float32))
        losses.append(float(loss))
        ratios.append(ratio.numpy())
    curves[label] = losses
    update_ratios[label] = np.array(ratios)
    test_accuracy[label] = float(np.mean(model(x_test).numpy().argmax(1) == y_test))
    end_loss[label] = float(np.nanmean(losses[-20:]))
    if label == "suggested":
        trained = model
    print(f"{NAMES[label]:<9} rate {rate:8.3g}: loss {losses[0]:.3f} -> {end_loss[label]:.3f} "
          f"(last 20 steps), test accuracy {test_accuracy[label]:.1%}")
rate_table = [{"rate": NAMES[label], "value": RATES[label],
               "loss, last 20 steps": end_loss[label],
               "test accuracy": test_accuracy[label]} for label in RATES]

# %% update-ratio
# The update-to-weight ratio, ||lr * gradient|| / ||w|| for each layer's kernel, at every
# step. A common rule of thumb puts a healthy value near 1e-3.
median_ratio = {label: {layer: float(np.nanmedian(r[:, i]))
                        for i, layer in enumerate(("hidden", "output"))}
                for label, r in update_ratios.items()}
largest_ratio = {label: float(np.nanmax(r)) for label, r in update_ratios.items()}
# Steps at which the hidden layer's kernel got any gradient at all.
moving_steps = {label: int(np.sum(r[:, 0] > 0)) for label, r in update_ratios.items()}
print(f"steps at which the hidden kernel moved at all: "
      + ", ".join(f"{NAMES[k]} {v} of {EPOCH}" for k, v in moving_steps.items()))
for label, layers in median_ratio.items():
    print(f"{NAMES[label]:<9} median update / weight: hidden {layers['hidden']:.1e}, "
          f"output {layers['output']:.1e}; largest at any step {largest_ratio[label]:.1e}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), num="babysitting")
for label, losses in curves.items():
    left.plot(np.arange(1, EPOCH + 1), losses, lw=0.8,
              label=f"{NAMES[label]} ({RATES[label]:.2g})")
left.axhline(chance_loss, color="grey", ls=":", label="ln(10), knowing nothing")
left.set(title="Loss per step, one epoch", xlabel="step", ylabel="batch loss", yscale="log")
left.legend(fontsize=8)
right.plot(range_rates[:len(range_losses)], range_losses, lw=0.8, label="loss")
right.plot(range_rates[9:len(smoothed) + 9], smoothed, label="smoothed (10 steps)")
right.axvline(lowest_rate, color="grey", ls=":", label=f"lowest, {lowest_rate:.2g}")
right.axvline(suggested_rate, color="C2", ls="--", label=f"suggested, {suggested_rate:.2g}")
right.set(title="Range test: rate grows every step", xlabel="learning rate", xscale="log",
          ylabel="batch loss", yscale="log")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% noise
# At the trained weights (held fixed), the gradient of all 20,000 images, and of DRAWS
# minibatches of each size, drawn without replacement. The spread is the mean squared distance
# between a minibatch's gradient and the full one.
def flat_gradient(xb, yb):
    with tf.GradientTape() as tape:
        loss = loss_fn(yb, trained(xb))
    return tf.concat([tf.reshape(g, [-1]) for g in
                      tape.gradient(loss, trained.trainable_variables)], 0).numpy()


full = flat_gradient(x, y)
rng = np.random.default_rng(SEED)
SIZES = [8, 32, 128, 512, 2048]
DRAWS = 100  # minibatches per size
noise = []
for size in SIZES:
    spread = np.mean([np.sum((flat_gradient(x[rows], y[rows]) - full) ** 2)
                      for rows in (rng.choice(IMAGES, size, replace=False) for _ in range(DRAWS))])
    # Sampling without replacement from N images: the spread is sigma^2 / B * (N - B) / (N - 1).
    finite = (IMAGES - size) / (IMAGES - 1)
    noise.append({"batch size": size, "spread": float(spread),
                  "spread x batch size / finite-population factor": float(spread * size / finite)})
    print(f"batch {size:>5}: mean squared distance to the full gradient {spread:.3e}; "
          f"x B / ((N-B)/(N-1)) = {spread * size / finite:.3f}")
slope = float(np.polyfit(np.log(SIZES), np.log([n["spread"] for n in noise]), 1)[0])
products = [n["spread x batch size / finite-population factor"] for n in noise]
product_band = max(products) / min(products)
print(f"slope of log(spread) against log(batch size): {slope:.3f} (theory: -1); the products "
      f"stay within a factor {product_band:.2f}")
full_gradient_size = float(np.sum(full**2))
noise_over_signal_8 = noise[0]["spread"] / full_gradient_size
print(f"|full gradient|^2 = {full_gradient_size:.3e}: a batch of 8 scatters "
      f"{noise_over_signal_8:.0f} times that far")

fig, ax = plt.subplots(num="gradient_noise", figsize=(5.5, 3.8))
ax.loglog(SIZES, [n["spread"] for n in noise], "o-", label="measured")
ax.loglog(SIZES, [products[0] / s * (IMAGES - s) / (IMAGES - 1) for s in SIZES], ":",
          color="grey", label="1 / B (with the finite-population factor)")
ax.axhline(full_gradient_size, color="C3", ls="--", lw=0.8,
           label="|full gradient|², for scale")
ax.set(title="Minibatch gradient noise at fixed weights", xlabel="batch size B",
       ylabel="mean |g_B - g|²")
ax.legend(fontsize=8)
plt.show()
