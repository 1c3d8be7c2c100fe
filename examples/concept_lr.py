"""How big a step gradient descent can take: a learning-rate sweep on the (w, b) loss surface.

For the mean squared error of a linear model the loss surface is a bowl whose curvature is the
same everywhere (its Hessian). Plain gradient descent converges exactly when the learning rate
is below 2 / (largest eigenvalue of that Hessian). This script computes the threshold from the
data, then runs gradient descent just below and just above it.
"""

# %% setup
import altair as alt
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

# %% data
# The same 64 points as in concept_descent.py: y = 3x - 1 plus noise (sd 0.5), x in [-1, 3].
TRUE_W, TRUE_B, N = 3.0, -1.0, 64
rng = np.random.default_rng(SEED)
x = rng.uniform(-1.0, 3.0, size=(N, 1)).astype("float32")
y = (TRUE_W * x + TRUE_B + rng.normal(0.0, 0.5, size=(N, 1))).astype("float32")
START_W, START_B = -1.0, 4.0

# %% hessian
# The Hessian is the matrix of second derivatives of the loss with respect to (w, b).
# Two nested tapes give it; for MSE it is also 2/N * X^T X with X = [x, 1], from the data alone.
weights = tf.Variable([START_W, START_B], dtype=tf.float64)
x64, y64 = x[:, 0].astype("float64"), y[:, 0].astype("float64")
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        loss = tf.reduce_mean((weights[0] * x64 + weights[1] - y64) ** 2)
    gradient = inner.gradient(loss, weights)
hessian_tape = outer.jacobian(gradient, weights).numpy()
design = np.stack([x64, np.ones(N)], axis=1)
hessian = 2 / N * design.T @ design
eigenvalues = np.linalg.eigvalsh(hessian)
lr_max = float(2 / eigenvalues[-1])
lr_fastest = float(2 / (eigenvalues[0] + eigenvalues[-1]))  # best constant rate for a quadratic
hessian_gap = float(np.abs(hessian_tape - hessian).max())
print("Hessian from two tapes:\n", hessian_tape.round(4))
print("Hessian from 2/N X^T X:\n", hessian.round(4))
print(f"eigenvalues: {eigenvalues[0]:.4f} and {eigenvalues[1]:.4f}")
print(f"threshold 2 / largest eigenvalue: lr_max = {lr_max:.4f}")
print(f"fastest constant rate 2 / (sum of the two eigenvalues): {lr_fastest:.4f}")


# %% sweep
def descend(lr, steps):
    """Plain gradient descent (keras SGD, full batch) from the fixed start; the path and losses."""
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[START_W]], "float32"), np.array([START_B], "float32")])
    optimizer = keras.optimizers.SGD(learning_rate=lr)
    loss_fn = keras.losses.MeanSquaredError()
    path, losses = [(START_W, START_B)], []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
        path.append(tuple(float(v.numpy().ravel()[0]) for v in model.trainable_variables))
    losses.append(float(loss_fn(y, model(x))))
    return np.array(path), np.array(losses)


STEPS = 60
rates = {"slow": 0.02, "moderate": 0.1, "oscillating": 0.9 * lr_max, "exploding": 1.1 * lr_max}
runs = {name: descend(lr, STEPS) for name, lr in rates.items()}
sweep = []
for name, lr in rates.items():
    losses = runs[name][1]
    sweep.append({"run": name, "learning_rate": round(lr, 4),
                  "multiple of lr_max": round(lr / lr_max, 2),
                  "loss_at_start": round(losses[0], 3),
                  "loss_after_60_steps": float(f"{losses[-1]:.4g}")})
    print(f"{name:>12}: lr = {lr:.4f} ({lr / lr_max:.2f} x lr_max), "
          f"loss {losses[0]:.3f} -> {losses[-1]:.4g} after {STEPS} steps")
start_loss = runs["moderate"][1][0]
best_loss = float(runs["moderate"][1][-1])

# %% paths
W, B = np.meshgrid(np.linspace(-3.0, 6.0, 121), np.linspace(-4.0, 7.0, 121))
surface = np.mean((W[..., None] * x[:, 0] + B[..., None] - y[:, 0]) ** 2, axis=-1)
colors = {"slow": "C0", "moderate": "C2", "oscillating": "C1", "exploding": "C3"}
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.9), num="learning_rate_sweep")
left.contour(W, B, surface, levels=np.geomspace(0.3, 150, 12), cmap="viridis", linewidths=0.8)
for name, shown in (("slow", 12), ("oscillating", 12), ("exploding", 7)):
    path = runs[name][0][:shown]
    left.plot(path[:, 0], path[:, 1], "o-", color=colors[name], ms=3, lw=1,
              label=f"{name}: rate {rates[name]:.3f}, {shown - 1} steps")
left.set(title="Paths on the loss surface", xlabel="w", ylabel="b", xlim=(-3, 6), ylim=(-4, 7))
left.legend(fontsize=7, loc="upper right")
for name, lr in rates.items():
    right.semilogy(runs[name][1], color=colors[name], lw=1.2,
                   label=f"{name}: rate {lr:.3f} ({lr / lr_max:.2f} × the limit)")
right.set(title="Loss per step", xlabel="step", ylabel="MSE (log scale)", ylim=(0.1, 1e4))
right.legend(fontsize=7)
fig.tight_layout()
plt.show()

# %% paths-chart
# The same four runs, interactive: pick a learning rate, scrub through the steps, and watch the
# path on the loss surface and the loss. Altair writes the chart as Vega-Lite, which Jupyter,
# Colab and the site draw in the browser; every point in it is a step of the runs above.
GRID = 31  # the loss surface as a 31 x 31 heatmap (log colour scale)
cell_w, cell_b = 9.0 / (GRID - 1), 11.0 / (GRID - 1)
surface_rows = [dict(w=round(float(w), 3), b=round(float(b), 3),
                     loss=float(f"{np.mean((w * x[:, 0] + b - y[:, 0]) ** 2):.3g}"))
                for b in np.linspace(-4.0, 7.0, GRID) for w in np.linspace(-3.0, 6.0, GRID)]
path_rows = [dict(run=name, step=step, w=float(f"{w:.5g}"), b=float(f"{b:.5g}"),
                  loss=float(f"{loss:.5g}"))
             for name in rates
             for step, ((w, b), loss) in enumerate(zip(runs[name][0], runs[name][1], strict=True))]
run_choice = alt.param(name="run", value="moderate", bind=alt.binding_radio(
    options=list(rates), labels=[f"{n} ({lr:.3f})" for n, lr in rates.items()],
    name="Learning rate: "))
step_choice = alt.param(name="step", value=STEPS, bind=alt.binding_range(
    min=0, max=STEPS, step=1, name="Step "))
w_scale, b_scale = alt.Scale(domain=[-3, 6], nice=False), alt.Scale(domain=[-4, 7], nice=False)
surface_layer = alt.Chart(alt.InlineData(values=surface_rows)).transform_calculate(
    w0=f"datum.w - {cell_w / 2}", w1=f"datum.w + {cell_w / 2}",
    b0=f"datum.b - {cell_b / 2}", b1=f"datum.b + {cell_b / 2}").mark_rect().encode(
    x=alt.X("w0:Q", scale=w_scale, title="w"), x2="w1:Q",
    y=alt.Y("b0:Q", scale=b_scale, title="b"), y2="b1:Q",
    color=alt.Color("loss:Q", scale=alt.Scale(type="log", scheme="viridis"), legend=None))
chosen = alt.Chart(alt.InlineData(values=path_rows)).transform_filter("datum.run == run")
so_far = chosen.transform_filter("datum.step <= step")
path_layer = so_far.mark_line(point=True, clip=True, color="white", strokeWidth=1.5).encode(
    x=alt.X("w:Q", scale=w_scale), y=alt.Y("b:Q", scale=b_scale), order="step:Q")
here = chosen.transform_filter("datum.step == step")
here_layer = here.mark_point(size=120, filled=True, color="#d62728", clip=True).encode(
    x=alt.X("w:Q", scale=w_scale), y=alt.Y("b:Q", scale=b_scale))
# A run that leaves the window is not drawn along its edge: its line runs off the chart, and
# a triangle on the edge and a note give where it went, read from the same recorded steps.
W_RANGE, B_RANGE, LOSS_TOP = (-3.0, 6.0), (-4.0, 7.0), 1e4
outside_map = (f"datum.w < {W_RANGE[0]} || datum.w > {W_RANGE[1]} || "
               f"datum.b < {B_RANGE[0]} || datum.b > {B_RANGE[1]}")
off_chart = f"datum.loss > {LOSS_TOP:g}"


def first_step(outside):
    """{run: the first step at which `outside(path, losses)` holds}, for the runs where it does."""
    found = {name: np.flatnonzero(outside(*runs[name])) for name in rates}
    return {name: int(steps[0]) for name, steps in found.items() if steps.size}


leaves_map = first_step(lambda path, losses: (path[:, 0] < W_RANGE[0]) | (path[:, 0] > W_RANGE[1])
                        | (path[:, 1] < B_RANGE[0]) | (path[:, 1] > B_RANGE[1]))
leaves_loss_axis = first_step(lambda path, losses: losses > LOSS_TOP)
print(f"first step off the map: {leaves_map}; first step with a loss above {LOSS_TOP:g}: "
      f"{leaves_loss_axis}")
map_note = here.transform_filter(outside_map).transform_calculate(
    label="'step ' + datum.step + ': off the map at w = ' + format(datum.w, '.3~g') + "
          "', b = ' + format(datum.b, '.3~g')").mark_text(
    align="left", x=5, y=-8, aria=False).encode(text="label:N")  # the readout says it
loss_scale = alt.Scale(type="log", domain=[0.1, LOSS_TOP])  # not clamped: see above
loss_line = chosen.mark_line(clip=True).encode(
    x=alt.X("step:Q", title="step"), y=alt.Y("loss:Q", scale=loss_scale, title="MSE (log)"))
loss_here = here.transform_filter(f"!({off_chart})").mark_point(
    size=120, filled=True, color="#d62728").encode(x="step:Q", y=alt.Y("loss:Q", scale=loss_scale))
loss_above = here.transform_filter(off_chart).transform_calculate(top=f"{LOSS_TOP:g}").mark_point(
    shape="triangle-up", size=160, filled=True, color="#d62728", aria=False).encode(
    x="step:Q", y=alt.Y("top:Q", scale=loss_scale, title="MSE (log)"))
loss_text = here.transform_calculate(
    label=f"'step ' + datum.step + ': loss ' + format(datum.loss, '.4~g') + "
          f"({off_chart} ? ', above the chart' : '')").mark_text(
    align="left", x=5, y=-8).encode(text="label:N")
descent_chart = alt.hconcat(
    (surface_layer + path_layer + here_layer + map_note).properties(
        width=300, height=300, title="Path on the loss surface (colour: log loss)"),
    (loss_line + loss_here + loss_above + loss_text).properties(width=260, height=300,
                                                                title="Loss per step"),
).add_params(run_choice, step_choice)
descent_chart

# %% threshold
# Many learning rates around lr_max at once: row k of `weights` is one run of plain gradient
# descent, written out as weights <- weights - lr_k * gradient (what SGD's apply_gradients does).
FINE_STEPS = 200
factors = np.round(np.linspace(0.95, 1.05, 21), 3)
lrs = tf.constant(factors * lr_max, dtype=tf.float64)[:, None]
weights = tf.Variable(np.tile([START_W, START_B], (len(factors), 1)))
for _ in range(FINE_STEPS):
    with tf.GradientTape() as tape:
        predictions = weights[:, :1] * x64 + weights[:, 1:]  # one row of predictions per run
        # Summing the runs' losses keeps them independent: row k's gradient is run k's own.
        total = tf.reduce_sum(tf.reduce_mean((predictions - y64) ** 2, axis=1))
    weights.assign_sub(lrs * tape.gradient(total, weights))
final_losses = tf.reduce_mean((weights[:, :1] * x64 + weights[:, 1:] - y64) ** 2, axis=1).numpy()
below = factors < 1
all_below_converge = bool(np.all(final_losses[below] < start_loss))
all_above_diverge = bool(np.all(final_losses[factors > 1] > start_loss))
at_threshold = float(final_losses[factors == 1.0][0])
below_final = float(final_losses[factors == 0.99][0])
above_final = float(final_losses[factors == 1.01][0])
for factor, final in zip(factors[::2], final_losses[::2]):
    print(f"lr = {factor:.2f} x lr_max: loss after {FINE_STEPS} steps {final:.4g}")

fig, ax = plt.subplots(figsize=(6.5, 3.4), num="threshold")
ax.semilogy(factors, final_losses, "o-", color="k", ms=4, lw=1)
ax.axvline(1.0, color="C3", ls="--", lw=1,
           label=r"the limit $2/\lambda_{\max}$" + f" = {lr_max:.3f}")
ax.axhline(start_loss, color="grey", ls=":", lw=1, label=f"loss at the start ({start_loss:.1f})")
ax.set(title=f"Loss after {FINE_STEPS} steps of plain gradient descent",
       xlabel=r"learning rate as a multiple of the limit $2/\lambda_{\max}$", ylabel="MSE (log scale)")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% claims
claims = [
    dict(source="000", claim="Small changes in learning rate can drastically affect convergence "
                           "and stability",
         measured=f"after {FINE_STEPS} steps, lr = 0.99 x lr_max ends at loss {below_final:.4g} "
                  f"and lr = 1.01 x lr_max at {above_final:.4g} (start {start_loss:.4g})",
         verdict="holds" if above_final > start_loss > below_final else "wrong",
         also=["concept_lr_network"]),  # learning rates on the MNIST network
]
for claim in claims:
    print(f"[{claim['verdict']}] {claim['claim']}: {claim['measured']}")
