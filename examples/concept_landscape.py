"""Why gradient descent finds good weights, but not always the best: saddles, local minima,
plateaus, and a tiny network trained from 20 seeds.

Each trap is shown on the smallest function that has it, with the same tools as real training:
tf.Variable weights, tf.GradientTape, and a keras optimizer's apply_gradients.
"""

# %% setup
import functools

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()


def descend(loss_fn, start, optimizer, steps):
    """Minimise loss_fn(weights) from `start`; return every weight vector and loss on the way."""
    weights = tf.Variable(start, dtype=tf.float64)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = loss_fn(weights)
        optimizer.apply_gradients([(tape.gradient(loss, weights), weights)])
        return loss

    path, losses = [weights.numpy()], []
    for _ in range(steps):
        losses.append(float(step()))
        path.append(weights.numpy())
    return np.array(path), np.array(losses)


# %% saddle
# f(u, v) = u^2 - v^2 curves up along u and down along v: (0, 0) is a saddle, not a minimum.
def saddle(weights):
    return weights[0] ** 2 - weights[1] ** 2


ridge_path, ridge_losses = descend(saddle, [1.0, 0.0], keras.optimizers.SGD(0.1), 40)
nudged_path, nudged_losses = descend(saddle, [1.0, 1e-3], keras.optimizers.SGD(0.1), 40)
ridge_end = ridge_path[-1].tolist()
ridge_gradient = float(np.hypot(2 * ridge_end[0], 2 * ridge_end[1]))
nudged_end = nudged_path[-1].tolist()
print(f"start on the ridge (1, 0):       ends at ({ridge_end[0]:.2e}, {ridge_end[1]:.2e}), "
      f"f = {ridge_losses[-1]:.2e}, |gradient| = {ridge_gradient:.2e}")
print(f"start nudged off it (1, 0.001): ends at ({nudged_end[0]:.2e}, {nudged_end[1]:.2f}), "
      f"f = {nudged_losses[-1]:.2f}")


# %% local-minimum
# g(x) = x^4 - 4x^2 + x has two valleys: a global minimum on the left, a higher one on the right.
def valleys(weights):
    return tf.reduce_sum(weights ** 4 - 4 * weights ** 2 + weights)


grid = np.linspace(-2.3, 2.5, 2001)
curve = grid ** 4 - 4 * grid ** 2 + grid
global_x, global_g = float(grid[np.argmin(curve)]), float(curve.min())
right = grid > 0
local_x, local_g = float(grid[right][np.argmin(curve[right])]), float(curve[right].min())
print(f"global minimum g({global_x:.2f}) = {global_g:.2f}; "
      f"local minimum g({local_x:.2f}) = {local_g:.2f}")

# 21 starting points on the right-hand side, each run independently (one weight per start).
starts = np.round(np.linspace(0.5, 2.5, 21), 2)
optimizers = {
    "plain gradient descent": lambda: keras.optimizers.SGD(0.01),
    "momentum 0.9": lambda: keras.optimizers.SGD(0.01, momentum=0.9),
    "Adam": lambda: keras.optimizers.Adam(0.1),
    "decaying learning rate": lambda: keras.optimizers.SGD(
        keras.optimizers.schedules.ExponentialDecay(0.05, decay_steps=50, decay_rate=0.5)),
}
escapes, valley_paths = {}, {}
for name, make in optimizers.items():
    path, _ = descend(valleys, starts, make(), 300)
    escapes[name] = int(np.sum(path[-1] < 0))  # ended in the left, deeper valley
    valley_paths[name] = path
    print(f"{name:>23}: reached the global minimum from {escapes[name]:2d} of {len(starts)} "
          f"starts; ended at {sorted(set(np.round(path[-1], 2).tolist()))}")
momentum_escape_starts = starts[valley_paths["momentum 0.9"][-1] < 0].tolist()
first_escape = min(momentum_escape_starts)


# %% plateau
# One sigmoid unit that starts saturated and wrong: sigmoid(-6x) says 1 for x = -1, 0 for x = 1.
x_pl, y_pl = np.array([-1.0, 1.0]), np.array([0.0, 1.0])


def sigmoid_mse(weights):
    return tf.reduce_mean((tf.sigmoid(weights[0] * x_pl + weights[1]) - y_pl) ** 2)


def sigmoid_cross_entropy(weights):
    logits = weights[0] * x_pl + weights[1]
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(y_pl, logits))


_, plateau_mse = descend(sigmoid_mse, [-6.0, 0.0], keras.optimizers.SGD(1.0), 400)
_, plateau_ce = descend(sigmoid_cross_entropy, [-6.0, 0.0], keras.optimizers.SGD(1.0), 400)
plateau_steps = int(np.argmax(plateau_mse < 0.5 * plateau_mse[0]))
ce_steps = int(np.argmax(plateau_ce < 0.5 * plateau_ce[0]))
print(f"MSE: loss {plateau_mse[0]:.3f} at step 0, {plateau_mse[50]:.3f} at step 50, "
      f"halved only at step {plateau_steps}")
print(f"cross-entropy: loss {plateau_ce[0]:.3f} at step 0, halved at step {ce_steps}")

# %% traps-figure
fig, (ax_s, ax_v, ax_p) = plt.subplots(1, 3, figsize=(9, 3.2), num="traps")
U, V = np.meshgrid(np.linspace(-1.2, 1.2, 101), np.linspace(-1.2, 1.2, 101))
ax_s.contour(U, V, U ** 2 - V ** 2, levels=np.linspace(-1.4, 1.4, 15), cmap="coolwarm",
             linewidths=0.8)
ax_s.plot(nudged_path[:, 0], nudged_path[:, 1], "o-", color="C2", ms=4, lw=2, label="v = 0.001")
ax_s.plot(ridge_path[:, 0], ridge_path[:, 1], "o-", color="k", ms=2, lw=1, label="v = 0")
ax_s.set(title="Saddle of u² - v²", xlabel="u", ylabel="v", xlim=(-1.2, 1.2), ylim=(-1.2, 1.2))
ax_s.legend(fontsize=7, title="start at u = 1,", title_fontsize=7, loc="lower left")
ax_v.plot(grid, curve, color="grey", lw=1)
START = 2.4
row = int(np.argmin(np.abs(starts - START)))
for name, color in (("plain gradient descent", "C0"), ("momentum 0.9", "C3")):
    xs = valley_paths[name][:, row]
    ax_v.plot(xs, xs ** 4 - 4 * xs ** 2 + xs, ".-", color=color, ms=3, lw=0.6, label=name)
ax_v.set(title=f"Two valleys, start at x = {START}", xlabel="x", ylabel="x⁴ - 4x² + x",
         ylim=(-7, 12))
ax_v.legend(fontsize=7)
ax_p.plot(plateau_mse, color="C0", label="MSE")
ax_p.plot(plateau_ce, color="C1", label="cross-entropy")
ax_p.set(title="Plateau: a saturated sigmoid", xlabel="step", ylabel="loss", yscale="log")
ax_p.legend(fontsize=7)
fig.tight_layout()
plt.show()

# %% xor
# A real (tiny) network on XOR: 2 inputs -> H tanh units -> 1 logit, 2000 updates. Each seed's
# initial weights are exactly those keras gives a Dense model after set_random_seed(seed).
# All seeds train at once, stacked along the first axis: the summed loss gives each copy its
# own gradient, and both optimizers work element by element, so the copies never mix.
SEEDS = list(range(20))
STEPS = 2000
X_XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], "float32")
Y_XOR = np.array([[0], [1], [1], [0]], "float32")


@functools.cache
def initial_weights(hidden, seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(hidden, "tanh"),
                              keras.layers.Dense(1)])
    return model.get_weights()  # kernel 1, bias 1, kernel 2, bias 2


# Each call of train_xor traces its own graph once, by design. From the fifth call on,
# TensorFlow would log a warning that the same code keeps being traced (with a memory address
# that differs from run to run); only its errors are shown.
tf.get_logger().setLevel("ERROR")


def train_xor(hidden, optimizer, batch_of_one=False, start=None):
    """Train one copy per seed; full batch, or one random point per update if batch_of_one.

    The copies start from Keras' initial weights for each seed, or from `start` (the weights
    another call returned). Returns each copy's final loss, its accuracy and its weights.
    """
    per_seed = [initial_weights(hidden, seed) for seed in SEEDS]
    stacked = start if start is not None else [np.stack(parts) for parts in zip(*per_seed)]
    w1, b1, w2, b2 = (tf.Variable(part) for part in stacked)
    variables = [w1, b1, w2, b2]
    picker = tf.random.Generator.from_seed(SEED)

    def point_losses():  # shape (seeds, 4): each copy's loss on each of the 4 points
        hidden_out = tf.tanh(tf.einsum("ni,sih->snh", X_XOR, w1) + b1[:, None, :])
        logits = (tf.einsum("snh,sho->sno", hidden_out, w2) + b2[:, None, :])[:, :, 0]
        labels = tf.broadcast_to(Y_XOR[:, 0], logits.shape)
        return tf.nn.sigmoid_cross_entropy_with_logits(labels, logits), logits

    @tf.function
    def train():
        for _ in tf.range(STEPS):
            with tf.GradientTape() as tape:
                losses = point_losses()[0]
                if batch_of_one:
                    pick = picker.uniform([len(SEEDS), 1], 0, 4, dtype=tf.int32)
                    losses = tf.gather(losses, pick, batch_dims=1)
                total = tf.reduce_sum(tf.reduce_mean(losses, axis=1))
            optimizer.apply_gradients(zip(tape.gradient(total, variables), variables))

    train()
    losses, logits = point_losses()
    accuracy = np.mean((logits.numpy() > 0) == Y_XOR[:, 0], axis=1)
    return (tf.reduce_mean(losses, axis=1).numpy().astype("float64"), accuracy,
            [v.numpy() for v in variables])


xor_runs, xor_ends = {}, {}
for label, hidden, optimizer, batch_of_one in [
        ("2 units, plain GD", 2, keras.optimizers.SGD(0.5), False),
        ("2 units, Adam", 2, keras.optimizers.Adam(0.05), False),
        ("2 units, batches of 1", 2, keras.optimizers.SGD(0.5), True),
        ("8 units, plain GD", 8, keras.optimizers.SGD(0.5), False)]:
    final, accuracy, xor_ends[label] = train_xor(hidden, optimizer, batch_of_one)
    xor_runs[label] = dict(solved=int(np.sum(accuracy == 1.0)), final_losses=final,
                           stuck_accuracy=sorted(set(accuracy[accuracy < 1].tolist())))
    print(f"{label:>21}: {xor_runs[label]['solved']:2d} of {len(SEEDS)} seeds classify all "
          f"4 points; final losses {sorted(set(final.round(3).tolist()))}")
stuck_loss = float(np.log(2) / 2)  # two points right with certainty, two at probability 1/2
print(f"loss of a run stuck answering 1/2 on two of the points: ln(2)/2 = {stuck_loss:.4f}")

# %% xor-escape
# Batches of one solved more seeds than the full batch, but each run took its own path from
# the start. Does noise get a run *out* once it is stuck? Take the 2-unit plain-GD runs where
# they stopped and give every one another STEPS updates: with the full batch, and with one
# random point per update. A stuck run has escaped if it now classifies all four points.
stuck = xor_runs["2 units, plain GD"]["final_losses"] > 0.1
continued = {}
for label, batch_of_one in (("full batch", False), ("batches of 1", True)):
    final, accuracy, _ = train_xor(2, keras.optimizers.SGD(0.5), batch_of_one,
                                   start=xor_ends["2 units, plain GD"])
    continued[label] = dict(escaped=int(np.sum(accuracy[stuck] == 1.0)),
                            final_losses=final[stuck])
    print(f"{STEPS} more updates, {label:>12}: {continued[label]['escaped']} of "
          f"{int(stuck.sum())} stuck runs escaped; their losses now "
          f"{final[stuck].min():.4f} to {final[stuck].max():.4f}")
escaped_full, escaped_noisy = (continued[k]["escaped"] for k in ("full batch", "batches of 1"))

# %% xor-figure
fig, ax = plt.subplots(figsize=(6.5, 3.2), num="xor_seeds")
for row_index, run in enumerate(xor_runs.values()):
    ax.scatter(run["final_losses"], np.full(len(SEEDS), row_index)
               + np.linspace(-0.2, 0.2, len(SEEDS)), s=14, color=f"C{row_index}")
ax.axvline(stuck_loss, color="grey", ls=":", lw=1, label="ln(2)/2: stuck")
ax.set_xscale("log")
ax.set_yticks(range(len(xor_runs)), [f"{k}\n{v['solved']}/{len(SEEDS)} solved"
                                     for k, v in xor_runs.items()], fontsize=8)
ax.set(title=f"XOR, {len(SEEDS)} seeds each: final loss after {STEPS} steps",
       xlabel="final cross-entropy (log scale)")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% claims
narrow, wide = xor_runs["2 units, plain GD"]["solved"], xor_runs["8 units, plain GD"]["solved"]
narrow_failed = len(SEEDS) - narrow
adam_narrow = xor_runs["2 units, Adam"]["solved"]
noisy_narrow = xor_runs["2 units, batches of 1"]["solved"]
helpers = {"momentum": escapes["momentum 0.9"], "Adam": escapes["Adam"],
           "a decaying learning rate": escapes["decaying learning rate"]}
plain = escapes["plain gradient descent"]
momentum_escapes, adam_escapes = escapes["momentum 0.9"], escapes["Adam"]
schedule_escapes = escapes["decaying learning rate"]
helped = [name for name, count in helpers.items() if count > plain]
rates = [narrow / len(SEEDS), wide / len(SEEDS)]
claims = [
    dict(source="000", claim="Gradient descent can get stuck at saddle points",
         measured=f"started exactly on the ridge of u² - v², plain GD ended at "
                  f"({ridge_end[0]:.1e}, {ridge_end[1]:.1e}) with gradient {ridge_gradient:.1e}; "
                  f"nudged by 0.001 it escaped to f = {nudged_losses[-1]:.1f}",
         verdict="holds" if ridge_gradient < 1e-3 and nudged_losses[-1] < -1 else "wrong"),
    dict(source="000", claim="Gradient descent can get stuck in local minima",
         measured=f"plain GD from {len(starts)} starts right of the hump: {plain} reached the "
                  f"global minimum g = {global_g:.2f}, the rest stopped at g = {local_g:.2f}",
         verdict="holds" if plain < len(starts) else "wrong"),
    dict(source="000", claim="Training usually finds good enough weights",
         measured=f"XOR solved by {narrow}/{len(SEEDS)} seeds with 2 hidden units, "
                  f"{wide}/{len(SEEDS)} with 8 (plain GD, {STEPS} steps)",
         verdict="holds" if min(rates) >= 0.8 else "depends" if max(rates) >= 0.8 else "wrong"),
    dict(source="000", claim="Learning-rate schedules, momentum or adaptive optimizers help "
                           "escape these traps",
         measured=f"starts (of {len(starts)}) that reached the global minimum: plain GD {plain}, "
                  + ", ".join(f"{k} {v}" for k, v in helpers.items())
                  + f"; XOR with 2 units: Adam solved {adam_narrow}/{len(SEEDS)}, "
                    f"plain GD {narrow}/{len(SEEDS)}",
         verdict="holds" if len(helped) == len(helpers) and adam_narrow > narrow
         else "wrong" if not helped else "depends",
         also=["optimizers_quadratic", "optimizers_curvature"]),  # momentum on a bowl, a network
    # "Escape" needs a run that was stuck and then got out: the continued runs measure that.
    # Solving more seeds from the start shows noise avoiding the region, not escaping it.
    dict(source="000", claim="Noisy updates from batch sampling sometimes help escape local minima",
         measured=f"XOR with 2 units: of the {narrow_failed} runs stuck after {STEPS} full-batch "
                  f"updates, another {STEPS} updates with one random point each freed "
                  f"{escaped_noisy}, with the full batch {escaped_full}; from the start, one point "
                  f"per update solved {noisy_narrow}/{len(SEEDS)} seeds, the full batch "
                  f"{narrow}/{len(SEEDS)}",
         verdict="holds" if escaped_noisy > escaped_full
         else "depends" if noisy_narrow > narrow else "wrong"),
]
for claim in claims:
    print(f"[{claim['verdict']}] {claim['claim']}: {claim['measured']}")
