"""Plain gradient descent, momentum, RMSprop and Adam on a stretched bowl, each at its best rate.

The loss is a quadratic in two weights, f(w) = (w0**2 + KAPPA * w1**2) / 2: a bowl KAPPA times
steeper along w1 than along w0 (its condition number). The script sweeps the learning rate
of each optimizer, keeps each one's best, and compares their paths and losses; then it shows
what the stretch alone does to plain gradient descent.
"""

# %% setup
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

KAPPA = 100.0  # the curvature along w1 divided by the curvature along w0
START = (-4.0, 1.5)
STEPS = 100
OPTIMIZERS = {
    "plain": lambda lr: keras.optimizers.SGD(lr),
    "momentum": lambda lr: keras.optimizers.SGD(lr, momentum=0.9),
    "rmsprop": lambda lr: keras.optimizers.RMSprop(lr),
    "adam": lambda lr: keras.optimizers.Adam(lr),
}
LABELS = {"plain": "gradient descent", "momentum": "momentum 0.9", "rmsprop": "RMSprop",
          "adam": "Adam"}


def descend(make_optimizer, lr, kappa=KAPPA, steps=STEPS):
    """Run `steps` updates from START; return the losses and the path of (w0, w1)."""
    w = tf.Variable(START, dtype=tf.float32)
    optimizer = make_optimizer(lr)
    scale = tf.constant([1.0, kappa])

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = 0.5 * tf.reduce_sum(scale * w**2)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        return loss

    losses, path = [], [w.numpy().copy()]
    for _ in range(steps):
        losses.append(float(step()))
        path.append(w.numpy().copy())
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows to inf
        losses.append(float(0.5 * np.sum(np.array([1.0, kappa]) * path[-1] ** 2)))
    return np.array(losses), np.array(path)


# %% sweep
# The same 100 steps at 13 learning rates from 0.001 to 1, for each optimizer.
RATES = np.logspace(-3, 0, 13)
final_loss = {name: [] for name in OPTIMIZERS}
for name, make in OPTIMIZERS.items():
    for lr in RATES:
        losses, _ = descend(make, lr)
        final_loss[name].append(float(losses[-1]) if np.isfinite(losses[-1]) else float("inf"))
best_rate = {name: float(RATES[int(np.argmin(final_loss[name]))]) for name in OPTIMIZERS}
best_loss = {name: min(final_loss[name]) for name in OPTIMIZERS}
start_loss = 0.5 * (START[0] ** 2 + KAPPA * START[1] ** 2)
stable_limit = 2 / KAPPA  # plain descent diverges along w1 above this rate
plain_sweep = list(zip(RATES, final_loss["plain"]))
plain_diverges_above_limit = all(not np.isfinite(loss)
                                 for lr, loss in plain_sweep if lr > stable_limit)
plain_finite_below_limit = all(np.isfinite(loss) for lr, loss in plain_sweep if lr < stable_limit)
good_rates = {name: sum(loss < 1e-2 for loss in final_loss[name]) for name in OPTIMIZERS}
for name in OPTIMIZERS:
    print(f"{LABELS[name]:>17}: best rate {best_rate[name]:.3g}, loss after {STEPS} steps "
          f"{best_loss[name]:.2e} (start {start_loss:.1f})")
print(f"plain descent is stable only below 2 / KAPPA = {stable_limit}: diverged at every rate "
      f"above it: {plain_diverges_above_limit}, finite at every rate below: "
      f"{plain_finite_below_limit}")
print("rates (of 13) that end below 0.01:", good_rates)

fig, ax = plt.subplots(figsize=(6, 3.8), num="rate_sweep")
for name in OPTIMIZERS:
    shown = np.minimum(final_loss[name], 1e6)  # a diverged run is drawn at the top
    ax.plot(RATES, shown, "o-", ms=3, label=LABELS[name])
ax.axvline(stable_limit, color="grey", ls=":", label=r"$2/\kappa$, plain descent's limit")
ax.set(xscale="log", yscale="log", xlabel="learning rate", ylim=(1e-7, 1e6),
       ylabel=f"loss after {STEPS} steps", title="Learning-rate sweep on the stretched bowl")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% paths
# Each optimizer at its own best rate: where it walks, and how fast the loss falls.
runs = {name: descend(OPTIMIZERS[name], best_rate[name]) for name in OPTIMIZERS}
W0, W1 = np.meshgrid(np.linspace(-4.5, 1.5, 121), np.linspace(-2.0, 2.0, 121))
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), num="paths")
left.contour(W0, W1, 0.5 * (W0**2 + KAPPA * W1**2), levels=np.geomspace(0.01, 60, 12),
             cmap="viridis", linewidths=0.8)
for name, (losses, path) in runs.items():
    left.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=1, label=LABELS[name])
    right.plot(losses, label=f"{LABELS[name]} (lr {best_rate[name]:.3g})")
left.plot(*START, "ks"), left.plot(0, 0, "k*", ms=10)
left.set(xlabel="w0 (gentle direction)", ylabel="w1 (steep direction)",
         title=rf"Paths at each optimizer's best rate ($\kappa$ = {KAPPA:g})")
right.set(yscale="log", xlabel="step", ylabel="loss", title="Loss per step")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% condition
# Plain descent alone, at its best rate, on a round bowl (KAPPA = 1) and on stretched ones.
condition = []
for kappa in (1.0, 10.0, 100.0):
    rates = RATES[RATES < 2 / kappa]  # the stable ones
    ends = [descend(OPTIMIZERS["plain"], lr, kappa)[0][-1] for lr in rates]
    condition.append({"kappa": kappa, "best_rate": float(rates[int(np.argmin(ends))]),
                      "loss_after_100_steps": float(min(ends))})
    print(f"KAPPA {kappa:>5g}: best stable rate {condition[-1]['best_rate']:.3g}, "
          f"loss after {STEPS} steps {condition[-1]['loss_after_100_steps']:.2e}")
