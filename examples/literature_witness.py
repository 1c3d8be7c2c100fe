"""Three published figures, re-run with Keras.

Each part takes numbers that a publication printed (or that follow from its formulas) and
measures them again with Keras:

1. Gabriel Goh, "Why Momentum Really Works", Distill 2017 (https://distill.pub/2017/momentum/):
   on a quadratic with curvatures 1 and 100 (condition number KAPPA = 100), plain gradient
   descent at its best step size shrinks the error by (KAPPA - 1) / (KAPPA + 1) per step, and
   momentum at its best step size and coefficient by (sqrt(KAPPA) - 1) / (sqrt(KAPPA) + 1).
2. Kaiming He et al., "Delving Deep into Rectifiers", 2015 (https://arxiv.org/abs/1502.01852):
   weights of variance 2 / fan-in keep the second moment of ReLU activations at 1, layer after
   layer; Glorot's variance (Keras' default) halves it at every ReLU layer.
3. TensorFlow's "TensorFlow 2 quickstart for beginners"
   (https://www.tensorflow.org/tutorials/quickstart/beginner): a 784-128-10 network with
   dropout, 5 epochs of Adam, "trained to ~98% accuracy".
"""

# %% setup
import math

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

# %% distill
# A quadratic f(w) = (w0**2 + 100 * w1**2) / 2: curvatures (the Hessian's eigenvalues) 1 and
# 100, minimum at w = 0, so the error is the weights themselves.
LAMBDAS = (1.0, 100.0)
KAPPA = LAMBDAS[1] / LAMBDAS[0]
LEVEL = 1e-6  # "converged": the error below this fraction of where it started
STEPS = 800
WINDOW = 200  # the last WINDOW steps measure the contraction per step
root = math.sqrt(KAPPA)
published_rate = {"plain": (KAPPA - 1) / (KAPPA + 1), "momentum": (root - 1) / (root + 1)}
# The best settings Distill derives: plain descent at 2 / (lambda_1 + lambda_n); momentum at
# alpha = (2 / (sqrt(lambda_1) + sqrt(lambda_n)))**2 and beta = its rate squared.
settings = {
    "plain": dict(learning_rate=2 / (LAMBDAS[0] + LAMBDAS[1]), momentum=0.0),
    "momentum": dict(learning_rate=(2 / (math.sqrt(LAMBDAS[0]) + math.sqrt(LAMBDAS[1]))) ** 2,
                     momentum=published_rate["momentum"] ** 2),
}
# The steps the rate alone predicts: rate**t = LEVEL.
published_steps = {name: math.ceil(math.log(LEVEL) / math.log(rate))
                   for name, rate in published_rate.items()}


def descend(learning_rate, momentum):
    """STEPS updates of Keras' SGD from w = (1, 1); the error's size after each step.

    Keras' momentum is v = momentum * v - learning_rate * g; w = w + v: Polyak's heavy ball,
    the update Distill analyses. The weights are float64, so that rounding plays no part down
    to 1e-60 (Keras keeps the learning rate in float32: a change in its eighth digit).
    """
    w = tf.Variable([1.0, 1.0], dtype=tf.float64)
    curvature = tf.constant(LAMBDAS, tf.float64)
    optimizer = keras.optimizers.SGD(learning_rate, momentum=momentum)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = 0.5 * tf.reduce_sum(curvature * w**2)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])

    errors = [float(tf.norm(w))]
    for _ in range(STEPS):
        step()
        errors.append(float(tf.norm(w)))
    return np.array(errors)


errors = {name: descend(**setting) for name, setting in settings.items()}
distill = {"kappa": KAPPA, "level": LEVEL}
for name, error in errors.items():
    below = np.flatnonzero(error <= LEVEL * error[0])
    distill[name] = dict(
        learning_rate=settings[name]["learning_rate"], beta=settings[name]["momentum"],
        published_rate=published_rate[name], published_steps=published_steps[name],
        measured_rate=float((error[-1] / error[-1 - WINDOW]) ** (1 / WINDOW)),
        measured_steps=int(below[0]) if below.size else STEPS + 1,  # STEPS + 1: never
        # where the error stands after the steps the rate alone predicts
        error_at_published_steps=float(error[published_steps[name]] / error[0]),
    )
for name in settings:
    distill[name]["steps_ratio"] = distill[name]["measured_steps"] / published_steps[name]
# Why momentum's count differs: at its best setting, the two roots of each curvature's
# update, sigma**2 - (1 + beta - alpha * lambda) * sigma + beta = 0, coincide at both
# curvatures (the discriminant is zero: critical damping), and a double root makes the error
# shrink like t * rate**t, not rate**t: error / rate**t then doubles from step STEPS / 2 to STEPS.
alpha, beta = settings["momentum"]["learning_rate"], settings["momentum"]["momentum"]
distill["momentum"]["discriminants"] = [(1 + beta - alpha * lam) ** 2 - 4 * beta
                                        for lam in LAMBDAS]
scaled = errors["momentum"] / published_rate["momentum"] ** np.arange(STEPS + 1)
distill["momentum"]["growth_last_half"] = float(scaled[STEPS] / scaled[STEPS // 2])
distill["published_speedup"] = published_steps["plain"] / published_steps["momentum"]
distill["measured_speedup"] = (distill["plain"]["measured_steps"]
                              / distill["momentum"]["measured_steps"])
for name in settings:
    d = distill[name]
    print(f"{name:>8}: learning rate {d['learning_rate']:.5f}, beta {d['beta']:.4f}; "
          f"rate per step {d['measured_rate']:.4f} (published {d['published_rate']:.4f}); "
          f"steps to {LEVEL:g} of the start {d['measured_steps']} "
          f"(from the rate alone {d['published_steps']})")
print(f"momentum after {published_steps['momentum']} steps: "
      f"{distill['momentum']['error_at_published_steps']:.1e} of the start, not {LEVEL:g}")
print("momentum's discriminants at the two curvatures (0: critically damped): "
      + ", ".join(f"{x:.1e}" for x in distill["momentum"]["discriminants"]))
print(f"momentum's error / rate**t grew {distill['momentum']['growth_last_half']:.3f} times "
      f"from step {STEPS // 2} to step {STEPS} (for t * rate**t: 2 times)")

# %% distill-figure
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), num="distill_rates")
t = np.arange(STEPS + 1)
for ax, name, color, last in ((axes[0], "plain", "C0", 760), (axes[1], "momentum", "C1", 120)):
    d = distill[name]
    ax.plot(t, errors[name] / errors[name][0], color=color, lw=3,
            label=f"measured: {d['measured_steps']} steps to {LEVEL:g}")
    ax.plot(t, published_rate[name] ** t, color="black", ls="--", lw=1,
            label=f"{published_rate[name]:.4f} per step: {published_steps[name]} steps")
    ax.axhline(LEVEL, color="grey", ls=":", lw=1)
    ax.set(yscale="log", ylim=(1e-8, 3), xlim=(0, last), xlabel="step",
           title=f"{name}, learning rate {d['learning_rate']:.4f}"
           + (f", β = {d['beta']:.4f}" if d["beta"] else ""))
    ax.legend(fontsize=8, loc="upper right")
axes[0].set_ylabel("error / starting error")
fig.suptitle(rf"Distill's best settings on a bowl with $\kappa$ = {KAPPA:g}: "
             "Keras' SGD against the published rate")
fig.tight_layout()
plt.show()

# %% he
# One Dense layer with He's initialization (variance 2 / fan-in) on unit-Gaussian inputs.
FAN_IN, UNITS, BATCH = 1024, 1024, 4096
inputs = np.random.default_rng(SEED).standard_normal((BATCH, FAN_IN)).astype("float32")
layer = keras.layers.Dense(UNITS, kernel_initializer=keras.initializers.HeNormal(seed=SEED))
z = layer(inputs).numpy().astype("float64")  # the pre-activations
a = np.maximum(z, 0.0)  # the ReLU's output
# A ReLU of z ~ N(0, 2): mean sqrt(2) / sqrt(2 pi) = 1 / sqrt(pi), second moment 2 / 2 = 1.
he_relu = dict(
    published_variance=2.0, measured_variance=float(np.mean(z**2)),
    published_mean=1 / math.sqrt(math.pi), measured_mean=float(a.mean()),
    published_std=math.sqrt(1 - 1 / math.pi), measured_std=float(a.std()),
    published_second_moment=1.0, measured_second_moment=float(np.mean(a**2)),
)
for key in ("mean", "std"):
    he_relu[f"{key}_gap"] = abs(he_relu[f"measured_{key}"] / he_relu[f"published_{key}"] - 1)
print(f"pre-activation variance {he_relu['measured_variance']:.4f} (He: 2)")
for key in ("mean", "std", "second_moment"):
    print(f"ReLU output {key.replace('_', ' '):>13}: {he_relu[f'measured_{key}']:.4f} "
          f"(from He's variance: {he_relu[f'published_{key}']:.4f})")

# %% he-depth
# Ten such layers stacked, He's initialization against Glorot's (Keras' default): the second
# moment of the activations after each layer, on the first 1024 inputs.
DEPTH = 10
initializations = {"he": keras.initializers.HeNormal, "glorot": keras.initializers.GlorotUniform}
second_moments = {}
for name, initializer in initializations.items():
    h, moments = inputs[:1024], []
    for depth in range(DEPTH):
        dense = keras.layers.Dense(UNITS, activation="relu",
                                   kernel_initializer=initializer(seed=SEED + depth))
        h = dense(h)
        moments.append(float(np.mean(np.square(h.numpy().astype("float64")))))
    second_moments[name] = moments
he_depth = dict(depth=DEPTH, he=second_moments["he"], glorot=second_moments["glorot"],
                glorot_predicted=0.5**DEPTH)  # Glorot: fan-in x variance = 1, the ReLU halves
print(f"{'layer':>5} {'He':>8} {'Glorot':>10}")
for depth in range(DEPTH):
    print(f"{depth + 1:>5} {second_moments['he'][depth]:>8.4f} "
          f"{second_moments['glorot'][depth]:>10.2e}")
print(f"after {DEPTH} layers Glorot's is {second_moments['glorot'][-1] / 0.5**DEPTH:.2f} "
      f"times 0.5**{DEPTH}")

# %% quickstart
# The tutorial's code, with keras.Input in place of Flatten(input_shape=...) and pixels
# scaled in float32. steps_per_execution=32 runs 32 of the same updates, in the same order,
# per call into TensorFlow: the tutorial's training, with less Python in between.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train.astype("float32") / 255.0, x_test.astype("float32") / 255.0
keras.utils.set_random_seed(SEED)
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(10),
])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"], steps_per_execution=32)
history = model.fit(x_train, y_train, epochs=5, verbose=0)  # batches of 32, Keras' default
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
quickstart = dict(published_accuracy=0.98, sources_accuracy=0.94,  # the site's sources: 64 units
                  test_accuracy=float(test_accuracy), test_loss=float(test_loss),
                  train_accuracy=float(history.history["accuracy"][-1]),
                  weights=int(model.count_params()))
print(f"{quickstart['weights']:,} weights; after 5 epochs: training accuracy "
      f"{quickstart['train_accuracy']:.4f}, test accuracy {quickstart['test_accuracy']:.4f} "
      f"(the tutorial: ~{quickstart['published_accuracy']:.0%})")

# %% table
rows = [
    ("Distill: plain descent, rate per step", published_rate["plain"],
     distill["plain"]["measured_rate"], ".4f"),
    ("Distill: momentum, rate per step", published_rate["momentum"],
     distill["momentum"]["measured_rate"], ".4f"),
    (f"Distill: plain descent, steps to {LEVEL:g}", published_steps["plain"],
     distill["plain"]["measured_steps"], "d"),
    (f"Distill: momentum, steps to {LEVEL:g}", published_steps["momentum"],
     distill["momentum"]["measured_steps"], "d"),
    ("He: ReLU output mean", he_relu["published_mean"], he_relu["measured_mean"], ".4f"),
    ("He: ReLU output std", he_relu["published_std"], he_relu["measured_std"], ".4f"),
    (f"He: second moment after {DEPTH} layers", 1.0, second_moments["he"][-1], ".4f"),
    (f"Glorot: second moment after {DEPTH} layers", 0.5**DEPTH, second_moments["glorot"][-1],
     ".2e"),
    ("Quickstart: test accuracy", quickstart["published_accuracy"], test_accuracy, ".4f"),
]
print(f"{'figure':<40} {'published':>10} {'measured':>10}")
for label, published, measured, spec in rows:
    print(f"{label:<40} {published:>10{spec}} {measured:>10{spec}}")

# %% claims
STEP_TOLERANCE = 0.10  # a step count within 10% of the published one reproduces it
RATE_TOLERANCE = 0.005  # a rate per step within 0.005 of the published one
STAT_TOLERANCE = 0.02  # He's mean and std within 2%
claims = [
    dict(source="Distill, Goh 2017, \"Why Momentum Really Works\"",
         claim=f"On a quadratic with condition number {KAPPA:g}, gradient descent at its best "
               f"step size converges at (κ-1)/(κ+1) = {published_rate['plain']:.4f} per step; "
               f"momentum at its best step size and β at (√κ-1)/(√κ+1) = "
               f"{published_rate['momentum']:.4f}",
         measured=f"with Keras' SGD, over the last {WINDOW} of {STEPS} steps: "
                  f"{distill['plain']['measured_rate']:.4f} and "
                  f"{distill['momentum']['measured_rate']:.4f} per step",
         verdict="holds" if all(abs(distill[n]["measured_rate"] - published_rate[n])
                                < RATE_TOLERANCE for n in settings) else "wrong"),
    dict(source="Distill, Goh 2017, \"Why Momentum Really Works\" (step counts derived from "
                "its rates)",
         claim=f"So, from the rate alone, {published_steps['plain']} steps against "
               f"{published_steps['momentum']} to bring the error to {LEVEL:g} of the start",
         measured=f"{distill['plain']['measured_steps']} and "
                  f"{distill['momentum']['measured_steps']} steps: at its best setting momentum "
                  f"is critically damped at both curvatures, so its error shrinks like "
                  f"t·rate^t, not rate^t",
         verdict="holds" if all(abs(distill[n]["steps_ratio"] - 1) <= STEP_TOLERANCE
                                for n in settings) else "wrong",
         also=["optimizers_directions"]),
    dict(source="He et al. 2015, \"Delving Deep into Rectifiers\"",
         claim=f"Weights of variance 2/fan-in give pre-activations of variance 2, so a ReLU's "
               f"output has mean 1/√π = {he_relu['published_mean']:.4f}, standard deviation "
               f"√(1-1/π) = {he_relu['published_std']:.4f} and second moment 1",
         measured=f"{BATCH} unit-Gaussian inputs through a Dense({UNITS}) layer with HeNormal: "
                  f"variance {he_relu['measured_variance']:.3f}, mean "
                  f"{he_relu['measured_mean']:.4f}, std {he_relu['measured_std']:.4f}, "
                  f"second moment {he_relu['measured_second_moment']:.4f}",
         verdict="holds" if max(he_relu["mean_gap"], he_relu["std_gap"]) < STAT_TOLERANCE
         else "wrong"),
    dict(source="He et al. 2015, \"Delving Deep into Rectifiers\"",
         claim="He's initialization keeps the signal's second moment through a deep ReLU "
               "network; Glorot's (Keras' default) halves it at every layer",
         measured=f"after {DEPTH} ReLU layers: {second_moments['he'][-1]:.3f} with He, "
                  f"{second_moments['glorot'][-1]:.2e} with Glorot "
                  f"(halving {DEPTH} times: {0.5**DEPTH:.2e})",
         # within a factor 2 of 1 and of 0.5**DEPTH: a thousandfold apart
         verdict="holds" if 0.5 < second_moments["he"][-1] < 2
         and 0.5 < second_moments["glorot"][-1] / 0.5**DEPTH < 2 else "wrong",
         also=["myths_init"]),
    dict(source="TensorFlow 2 quickstart for beginners (tensorflow.org)",
         claim="Flatten, Dense(128, relu), Dropout(0.2), Dense(10), 5 epochs of Adam: "
               "\"trained to ~98% accuracy\" (the site's sources promise 94% for their "
               "64-unit network)",
         measured=f"test accuracy {test_accuracy:.1%} "
                  f"(training {quickstart['train_accuracy']:.1%})",
         verdict="holds" if test_accuracy >= 0.97 else "wrong",
         also=["mnist_seeds", "mnist_experiment"]),
]
