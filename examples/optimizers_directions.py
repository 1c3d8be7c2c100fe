"""Why plain descent is slow, one direction at a time, and what momentum buys.

A bowl in two weights whose curvatures are 1 and KAPPA along two directions turned 30 degrees
from the axes (the eigenvectors of its Hessian). Theory says plain gradient descent shrinks the
error along direction i by the factor |1 - lr * lambda_i| per step. The script measures that
with Keras' SGD, then lets the condition number KAPPA set the pace: it sweeps the learning rate
and the momentum coefficient together, finds the fastest setting of each, and compares the
speed-up momentum gives with the square root of KAPPA that theory predicts.
"""

# %% setup
import altair as alt
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

ANGLE_DEGREES = 30
ANGLE = np.radians(ANGLE_DEGREES)
TURN = np.array([[np.cos(ANGLE), -np.sin(ANGLE)], [np.sin(ANGLE), np.cos(ANGLE)]])
START_ERROR = np.array([3.0, 1.0])  # the start, in the coordinates of the two directions


def bowl(kappa):
    """The Hessian R diag(1, kappa) R^T of f(w) = w^T H w / 2, as a float32 tensor."""
    return tf.constant(TURN @ np.diag([1.0, kappa]) @ TURN.T, tf.float32)


# %% directions
# Plain descent with Keras' SGD on a bowl with KAPPA = 10, recording the weights every step,
# then splitting each step's error (the weights; the minimum is at 0) along the two directions.
KAPPA = 10.0
RATE = 0.18  # 1 - RATE * 1 = 0.82 along the gentle direction, 1 - RATE * 10 = -0.8 along the steep one
STEPS = 40
hessian = bowl(KAPPA)
w = tf.Variable(TURN @ START_ERROR, dtype=tf.float32)
optimizer = keras.optimizers.SGD(RATE)


@tf.function
def plain_step():
    with tf.GradientTape() as tape:
        loss = 0.5 * tf.tensordot(w, tf.linalg.matvec(hessian, w), 1)
    optimizer.apply_gradients([(tape.gradient(loss, w), w)])


path = [w.numpy().copy()]
for _ in range(STEPS):
    plain_step()
    path.append(w.numpy().copy())
measured = np.array(path) @ TURN  # column i: the error along direction i
factors = 1 - RATE * np.array([1.0, KAPPA])
predicted = START_ERROR * factors ** np.arange(STEPS + 1)[:, None]
deviation = float(np.max(np.abs(measured - predicted) / START_ERROR))
measured_factors = [float(np.median(measured[1:, i] / measured[:-1, i])) for i in range(2)]
print(f"predicted factors per step: gentle {factors[0]:.2f}, steep {factors[1]:.2f}")
print(f"measured factors (median of step-to-step ratios): gentle {measured_factors[0]:.4f}, "
      f"steep {measured_factors[1]:.4f}")
print(f"largest gap between measured and predicted error over {STEPS} steps: {deviation:.1e} "
      f"of the starting error")

fig, ax = plt.subplots(num="per_direction", figsize=(6, 3.8))
for i, (name, colour) in enumerate((("gentle (curvature 1)", "C0"),
                                     (f"steep (curvature {KAPPA:g})", "C3"))):
    ax.semilogy(np.abs(measured[:, i]), "o", ms=3, color=colour, label=f"{name}, measured")
    ax.semilogy(np.abs(predicted[:, i]), "-", lw=0.8, color=colour,
                label=rf"$|1 - \eta\lambda|^t$ = {abs(factors[i]):.2f}$^t$")
ax.set(title=rf"Plain descent at $\eta$ = {RATE}: the error along each direction", xlabel="step",
       ylabel="|error along the direction|")
ax.legend(fontsize=8)
plt.show()

# %% sweep
# Keras' SGD rule with momentum beta, v = beta * v - lr * g and w = w + v, written for many
# runs at once: row r of the weights is a run with its own rate and beta. Each run goes until
# its loss is below TOLERANCE times its starting loss; the result is the number of steps.
TOLERANCE = 1e-8
BETAS = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98]


@tf.function
def heavy_ball(hessian, rates, betas, steps):
    """Paths of len(rates) runs for `steps` steps: weights (steps + 1, runs, 2)."""
    runs = tf.shape(rates)[0]
    w = tf.tile(tf.constant(TURN @ START_ERROR, tf.float32)[None], [runs, 1])
    v = tf.zeros_like(w)
    path = tf.TensorArray(tf.float32, size=steps + 1).write(0, w)
    for t in tf.range(steps):
        g = tf.linalg.matmul(w, hessian)  # the gradient H w of each run (H is symmetric)
        v = betas[:, None] * v - rates[:, None] * g
        w = w + v
        path = path.write(t + 1, w)
    return path.stack()


def losses_of(path, hessian):
    return 0.5 * np.einsum("sri,ij,srj->sr", path, hessian.numpy(), path)


def steps_needed(kappa, rate_factors, betas, max_steps):
    """Steps each (rate, beta) run needs to get below TOLERANCE; max_steps + 1 if it never does."""
    rates = rate_factors / kappa  # rate_factors are lr * lambda_max
    grid_rates, grid_betas = (a.ravel() for a in np.meshgrid(rates, betas, indexing="ij"))
    hessian = bowl(kappa)
    path = heavy_ball(hessian, tf.constant(grid_rates, tf.float32),
                      tf.constant(grid_betas, tf.float32), tf.constant(max_steps)).numpy()
    with np.errstate(over="ignore", invalid="ignore"):
        losses = losses_of(path.astype("float64"), hessian)
        below = losses <= TOLERANCE * losses[0]
    needed = np.where(below.any(axis=0), below.argmax(axis=0), max_steps + 1)
    return needed.reshape(len(rates), len(betas)), path


# The vectorized rule is Keras' rule: three runs compared step by step with keras.optimizers.SGD.
def keras_path(kappa, rate, beta, steps):
    hessian, w = bowl(kappa), tf.Variable(TURN @ START_ERROR, dtype=tf.float32)
    sgd = keras.optimizers.SGD(rate, momentum=beta)
    out = [w.numpy().copy()]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = 0.5 * tf.tensordot(w, tf.linalg.matvec(hessian, w), 1)
        sgd.apply_gradients([(tape.gradient(loss, w), w)])
        out.append(w.numpy().copy())
    return np.array(out)


pairs = [(0.015, 0.0), (0.012, 0.9), (0.019, 0.95)]  # (rate, beta), all stable at KAPPA 100
mine = heavy_ball(bowl(100.0), tf.constant([p[0] for p in pairs], tf.float32),
                  tf.constant([p[1] for p in pairs], tf.float32), tf.constant(60)).numpy()
rule_gap = max(float(np.max(np.abs(mine[:, k] - keras_path(100.0, *pairs[k], 60))))
               for k in range(len(pairs))) / float(np.abs(START_ERROR).max())
print(f"the vectorized rule against keras.optimizers.SGD, 3 runs x 60 steps: largest "
      f"difference {rule_gap:.1e} of the starting error")

RATE_FACTORS = np.geomspace(0.01, 3.9, 40)  # lr * lambda_max, past plain descent's limit of 2
KAPPAS = [10.0, 100.0, 1000.0]
RATE_FACTORS_COUNT, BETAS_WITH_MOMENTUM = len(RATE_FACTORS), len(BETAS) - 1
pace = []
for kappa in KAPPAS:
    needed, _ = steps_needed(kappa, RATE_FACTORS, BETAS, max_steps=int(8 * kappa) + 200)
    plain_steps = int(needed[:, 0].min())
    best = np.unravel_index(needed[:, 1:].argmin(), needed[:, 1:].shape)
    momentum_steps = int(needed[:, 1:][best])
    best_beta = BETAS[1:][best[1]]
    theory_beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    pace.append({"kappa": kappa, "plain: fewest steps": plain_steps,
                 "momentum: fewest steps": momentum_steps, "best momentum": best_beta,
                 "theory's best momentum": round(float(theory_beta), 3),
                 "speed-up": plain_steps / momentum_steps, "sqrt(kappa)": float(np.sqrt(kappa))})
    print(f"kappa {kappa:>6g}: plain descent needs {plain_steps:>5} steps at best, momentum "
          f"{momentum_steps:>4} (beta {best_beta}; theory's best {theory_beta:.3f}); speed-up "
          f"{plain_steps / momentum_steps:5.1f}, sqrt(kappa) {np.sqrt(kappa):5.1f}")
speedups = [row["speed-up"] for row in pace]
hardest_plain_steps = pace[-1]["plain: fewest steps"]
hardest_momentum_steps = pace[-1]["momentum: fewest steps"]
plain_growth = pace[-1]["plain: fewest steps"] / pace[0]["plain: fewest steps"]
speedup_over_root = [row["speed-up"] / row["sqrt(kappa)"] for row in pace]
root_share_low, root_share_high = min(speedup_over_root), max(speedup_over_root)

# %% grid-chart
# The grid a reader scrubs, on the bowl with KAPPA = 100: 8 rates x 6 momentum coefficients,
# each run recorded step by step. Pick a rate and a momentum, move the step slider, and follow
# that run's path and loss; the heatmap gives every run's steps to the tolerance.
CHART_KAPPA, CHART_STEPS, CHART_MAX_STEPS = 100.0, 40, 2000
CHART_RATES = np.round(np.geomspace(0.02, 3.2, 8), 3)  # lr * lambda_max
CHART_BETAS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.98]
CHART_RATES_COUNT, CHART_BETAS_COUNT = len(CHART_RATES), len(CHART_BETAS)
chart_needed, chart_path = steps_needed(CHART_KAPPA, CHART_RATES, CHART_BETAS,
                                       max_steps=CHART_MAX_STEPS)
chart_hessian = bowl(CHART_KAPPA)
grid_rows, path_rows = [], []
for i, factor in enumerate(CHART_RATES):
    for j, beta in enumerate(CHART_BETAS):
        run = i * len(CHART_BETAS) + j
        steps = int(chart_needed[i, j])
        grid_rows.append(dict(rate=i, factor=float(factor), beta=beta,
                              steps=steps if steps <= CHART_MAX_STEPS else None,
                              label=str(steps) if steps <= CHART_MAX_STEPS else "never"))
        for t in range(CHART_STEPS + 1):  # the weights of every step; the chart computes the loss
            x, y_ = (float(f"{v:.4g}") if np.isfinite(v) else None for v in chart_path[t, run])
            path_rows.append(dict(rate=i, beta=beta, step=t, w0=x, w1=y_))
converged = [row for row in grid_rows if row["steps"] is not None]
chart_best = min(converged, key=lambda row: row["steps"])
chart_best_plain = min((row for row in converged if row["beta"] == 0.0), key=lambda r: r["steps"])
# The fastest run with momentum at a rate below plain descent's limit, lr * lambda_max < 2.
best_below_limit = min((row for row in converged if row["beta"] > 0 and row["factor"] < 2),
                       key=lambda row: row["steps"])
print(f"chart grid, kappa {CHART_KAPPA:g}: fastest run lr x lambda_max {chart_best['factor']}, "
      f"beta {chart_best['beta']}: {chart_best['steps']} steps; fastest plain run "
      f"{chart_best_plain['factor']}: {chart_best_plain['steps']} steps; fastest with momentum "
      f"below plain descent's limit: {best_below_limit['factor']}, beta {best_below_limit['beta']}: "
      f"{best_below_limit['steps']} steps")

rate_choice = alt.param(name="rate", value=chart_best["rate"], bind=alt.binding_select(
    options=list(range(len(CHART_RATES))), labels=[f"{f:g}" for f in CHART_RATES],
    name="Learning rate x largest curvature "))
beta_choice = alt.param(name="beta", value=chart_best["beta"], bind=alt.binding_radio(
    options=CHART_BETAS, name="Momentum "))
step_choice = alt.param(name="step", value=CHART_STEPS, bind=alt.binding_range(
    min=0, max=CHART_STEPS, step=1, name="Step "))
grid = alt.Chart(alt.InlineData(values=grid_rows))
heat = grid.mark_rect(stroke="white").encode(
    x=alt.X("factor:O", title="learning rate x largest curvature"),
    y=alt.Y("beta:O", title="momentum", sort="descending"),
    color=alt.Color("steps:Q", scale=alt.Scale(type="log", scheme="viridis", reverse=True),
                    legend=alt.Legend(title="steps to 1e-8")))
heat_text = grid.transform_filter("datum.steps != null").mark_text(aria=False).encode(
    x="factor:O", y=alt.Y("beta:O", sort="descending"), text="label:N",
    color=alt.condition("datum.steps < 300", alt.value("black"), alt.value("white")))
# "never" sits on the page's own background: it keeps the page's text colour (no colour set).
never_text = grid.transform_filter("datum.steps == null").mark_text(aria=False).encode(
    x="factor:O", y=alt.Y("beta:O", sort="descending"), text="label:N")
picked = grid.transform_filter("datum.rate == rate && datum.beta == beta").mark_rect(
    fill=None, stroke="#d62728", strokeWidth=3).encode(
    x="factor:O", y=alt.Y("beta:O", sort="descending"))
(h00, h01), (_, h11) = chart_hessian.numpy().tolist()
chosen = alt.Chart(alt.InlineData(values=path_rows)).transform_filter(
    "datum.rate == rate && datum.beta == beta").transform_calculate(  # f(w) = w^T H w / 2
    loss=f"0.5 * ({h00:.6g} * datum.w0 * datum.w0 + {2 * h01:.6g} * datum.w0 * datum.w1"
         f" + {h11:.6g} * datum.w1 * datum.w1)")
w_scale = alt.Scale(domain=[-4, 4], nice=False)
path_line = chosen.transform_filter("datum.step <= step").mark_line(
    point=True, clip=True, strokeWidth=1.2).encode(
    x=alt.X("w0:Q", scale=w_scale, title="w0"), y=alt.Y("w1:Q", scale=w_scale, title="w1"),
    order="step:Q")
here = chosen.transform_filter("datum.step == step")
path_here = here.mark_point(size=120, filled=True, color="#d62728", clip=True).encode(
    x=alt.X("w0:Q", scale=w_scale), y=alt.Y("w1:Q", scale=w_scale))
loss_scale = alt.Scale(type="log", domain=[1e-10, 1e3], clamp=True)
loss_line = chosen.mark_line(clip=True).encode(
    x=alt.X("step:Q", title="step"), y=alt.Y("loss:Q", scale=loss_scale, title="loss (log)"))
loss_here = here.mark_point(size=120, filled=True, color="#d62728", clip=True).encode(
    x="step:Q", y=alt.Y("loss:Q", scale=loss_scale))
loss_text = here.transform_calculate(
    label="'step ' + datum.step + ': loss ' + (datum.loss == null ? 'overflowed' : "
          "format(datum.loss, '.3~g'))").mark_text(align="left", x=5, y=-8).encode(
    text="label:N")
momentum_chart = alt.hconcat(  # three panels, side by side where they fit, else stacked
    (heat + heat_text + never_text + picked).properties(width=340, height=200,
                                          title="Steps to reach 1e-8 of the starting loss"),
    (path_line + path_here).properties(width=240, height=240, title="Path (minimum at 0, 0)"),
    (loss_line + loss_here + loss_text).properties(width=240, height=240, title="Loss per step"),
).add_params(rate_choice, beta_choice, step_choice)
momentum_chart

# %% grid-figure
# The same grid, drawn for readers without scripts.
fig, ax = plt.subplots(num="momentum_grid", figsize=(7, 3.6))
shown = np.where(chart_needed <= CHART_MAX_STEPS, chart_needed, np.nan).T[::-1]
image = ax.imshow(np.log10(shown), cmap="viridis_r", aspect="auto")
for j, beta in enumerate(CHART_BETAS[::-1]):
    for i in range(len(CHART_RATES)):
        value = shown[j, i]
        ax.text(i, j, "never" if np.isnan(value) else f"{int(value)}", ha="center",
                va="center", fontsize=8,
                color="dimgrey" if np.isnan(value) else "white" if value >= 300 else "black")
ax.set(xticks=range(len(CHART_RATES)), xticklabels=[f"{f:g}" for f in CHART_RATES],
       yticks=range(len(CHART_BETAS)), yticklabels=[f"{b:g}" for b in CHART_BETAS[::-1]],
       xlabel="learning rate x largest curvature", ylabel="momentum",
       title=f"Steps to 1e-8 of the starting loss, condition number {CHART_KAPPA:g}")
fig.colorbar(image, label="log10(steps)")
fig.tight_layout()
plt.show()
