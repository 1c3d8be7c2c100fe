"""The practice page's answer key, checked by running every option.

Each question is data: a code template with blanks ``__1__``, ``__2__``, its options, and the
answer the source material claims. ``ask`` substitutes every option into the code, runs it in
a fresh namespace from the same seed, and records what happened: whether it ran or raised,
what it warned and printed, and what it did to the loss and the weights. The conceptual
multiple-choice questions are answered by measuring each option's statement on a small run.
"""

# %% setup
import contextlib
import io
import itertools
import re
import textwrap
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

# %% data
# Three features and a target that is an exact linear function of them: a model with one
# Dense unit can fit it perfectly, so any option that trains properly shows it.
rng = np.random.default_rng(SEED)
x_train = rng.normal(size=(256, 3)).astype("float32")
y_train = x_train @ np.array([[2.0], [-1.0], [0.5]], dtype="float32") + 1.0
print("x_train:", x_train.shape, " y_train:", y_train.shape)


# %% harness
def attempt(code, **given):
    """Run `code` in a fresh namespace holding the data and `given`, seeded like every other.

    Returns the namespace and a record: ran or raised (with the error), the warnings it
    issued and what it printed. Warnings are kept as data, not shown.
    """
    keras.utils.set_random_seed(SEED)
    namespace = {"keras": keras, "tf": tf, "np": np, "x_train": x_train, "y_train": y_train,
                 **given}
    error, printed = "", io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        try:
            exec(code, namespace)
        except Exception as exc:  # noqa: BLE001 - an option that fails is a result
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    record = {"outcome": "raised" if error else "ran", "error": error,
              "warnings": list(dict.fromkeys(f"{w.category.__name__}: {w.message}"
                                             for w in caught)),
              "printed": printed.getvalue().strip()}
    return namespace, record


def joined(*parts):
    """Code pieces, each dedented, one after the other."""
    return "".join(textwrap.dedent(part).strip("\n") + "\n" for part in parts if part)


def weights_of(namespace):
    model = namespace.get("model")
    return [w.copy() for w in model.get_weights()] if model is not None and model.built else []


def ask(question):
    """Run the question's code once per way of filling its blanks; return {letters: record}.

    The record holds the attempt's outcome, the values the question's `check` code stores in
    `seen`, and `weight_change`: the largest change of any weight compared with running the
    context alone (from the same seed, so from the same starting weights).
    """
    context, check = question.get("context", ""), question.get("check", "")
    start, _ = attempt(joined(context, check))
    start_weights = weights_of(start)
    blanks = len(set(re.findall(r"__(\d)__", question["template"])))
    runs = {}
    for letters in itertools.product(question["options"], repeat=blanks):
        code = question["template"]
        for blank, letter in enumerate(letters, 1):
            code = code.replace(f"__{blank}__", question["options"][letter])
        namespace, record = attempt(joined(context, code, check))
        if record["outcome"] == "ran":
            record.update(namespace.get("seen", {}))
            after = weights_of(namespace)
            if start_weights and len(after) == len(start_weights):
                record["weight_change"] = max(float(np.abs(a - b).max())
                                              for a, b in zip(after, start_weights))
        runs["".join(letters)] = record
    return runs, start.get("seen", {})


def show(question):
    """Print the question as the reader sees it: the code with its blanks, then the options."""
    print(joined(question.get("context", ""), question["template"]).strip())
    print()
    show_options(question)


def show_options(question):
    for letter, option in question["options"].items():
        print(f"  {letter}) {option}")


def verdict(supported, claimed):
    """'holds' if the runs support exactly the claimed answer, 'depends' if they support it
    among others, 'wrong' if they do not support it."""
    if supported == [claimed]:
        return "holds"
    return "depends" if claimed in supported else "wrong"


claims = []

# %% task-1
# Source 003, task 1, as written there (tf.keras is the same Keras 3 here).
task1_seed = dict(
    template="model = keras.Sequential([keras.layers.Dense(__1__, input_shape=(3,))])\n",
    options={"A": "1", "B": "5", "C": "3", "D": "10"},
    check="seen = dict(output_shape=str(model.output_shape))",
)
# The same task written for Keras 3, with a use for the model: one prediction per example.
task1 = dict(
    template="""
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(__1__)])
    prediction = model(x_train)
    loss = keras.losses.mean_squared_error(y_train, prediction)
    """,
    options=task1_seed["options"],
    check="""
    seen = dict(prediction_shape=str(tuple(prediction.shape)), loss_shape=str(tuple(loss.shape)),
                parameters=model.count_params())
    """,
)
show(task1)

# %% task-1-runs
task1_source_runs, _ = ask(task1_seed)
task1_runs, _ = ask(task1)
tf_keras_is_keras = tf.keras.layers.Dense is keras.layers.Dense
tensorflow_version = tf.__version__
task1_source_warned = all(run["warnings"] for run in task1_source_runs.values())
task1_table = [
    dict(option=f"{letter}) {task1['options'][letter]}", outcome=run["outcome"],
         prediction_shape=run["prediction_shape"], loss_shape=run["loss_shape"],
         parameters=run["parameters"])
    for letter, run in task1_runs.items()
]
task1_supported = [letter for letter, run in task1_runs.items()
                   if run["outcome"] == "ran" and run["prediction_shape"] == str(y_train.shape)]
for letter, run in task1_runs.items():
    print(f"{letter}) Dense({task1['options'][letter]}): {run['outcome']}, "
          f"prediction {run['prediction_shape']}, targets {y_train.shape}, "
          f"loss {run['loss_shape']}")
print("the source's line, output shapes:",
      ", ".join(f"{k}) {r.get('output_shape', r['error'])}" for k, r in task1_source_runs.items()))
print("the source's line warns for every option:", task1_source_warned)
print("  ", task1_source_runs["A"]["warnings"][0])
task1_ran = sum(run["outcome"] == "ran" for run in task1_runs.values())
task1_source_ran = sum(run["outcome"] == "ran" for run in task1_source_runs.values())
claims += [
    dict(source="003", claim="Task 1: `Dense(1)` is the answer; more units is the mistake",
         measured=f"{task1_ran} of 4 options ran; only Dense(1) gives one prediction per target "
                  f"({task1_runs['A']['prediction_shape']}); Dense(5) gives "
                  f"{task1_runs['B']['prediction_shape']} and its MSE still runs by broadcasting",
         verdict=verdict(task1_supported, "A")),
    dict(source="003", claim="Task 1's line `Dense(units, input_shape=(3,))` builds the model",
         measured=f"ran for {task1_source_ran} of 4 options, each time with "
                  f"{task1_source_runs['A']['warnings'][0].split(':')[0]}",
         verdict="wrong" if task1_source_ran < 4 else ("depends" if task1_source_warned else "holds")),
]

# %% task-2
task2 = dict(
    context="""
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    """,
    template="""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="__1__")
    history = model.fit(x_train, y_train, epochs=20, verbose=0)
    """,
    options={"A": "binary_crossentropy", "B": "hinge", "C": "mean_squared_error",
             "D": "categorical_crossentropy"},
    check="""
    seen = dict(mse=float(np.mean((model(x_train) - y_train) ** 2)))
    if "history" in globals():
        seen.update(reported_first=history.history["loss"][0],
                    reported_last=history.history["loss"][-1])
    """,
)
show(task2)

# %% task-2-runs
task2_runs, task2_start = ask(task2)
mse_before = task2_start["mse"]
task2_table = [
    dict(loss=task2["options"][letter], outcome=run["outcome"],
         loss_fit_reported=f"{run['reported_first']:.3g} -> {run['reported_last']:.3g}",
         mse_before=mse_before, mse_after=run["mse"], largest_weight_change=run["weight_change"],
         warned="yes" if run["warnings"] else "no")
    for letter, run in task2_runs.items()
]
# "Fits the numbers": the mean squared error falls to under 0.01% of where it started (hinge
# can bring it under 1% from a lucky start, and still stop well short of the targets).
task2_supported = [letter for letter, run in task2_runs.items()
                   if run["outcome"] == "ran" and run["mse"] < mse_before / 10_000]
for row in task2_table:
    print(f"{row['loss']:>24}: mse {row['mse_before']:.3f} -> {row['mse_after']:.3f}, "
          f"fit reported {row['loss_fit_reported']}, "
          f"largest weight change {row['largest_weight_change']:.3f}")
print(task2_runs["D"]["warnings"][0])
claims.append(dict(
    source="003", claim="Task 2: a regression needs mean_squared_error; classification losses are "
                      "the mistake",
    measured=f"{sum(r['outcome'] == 'ran' for r in task2_runs.values())} of 4 trained without "
             f"error; MSE on the data went from {mse_before:.3f} to "
             + ", ".join(f"{task2['options'][k]} {r['mse']:.3f}" for k, r in task2_runs.items()),
    verdict=verdict(task2_supported, "C")))

# %% task-2-adam
# The source compiled with optimizer='adam': Adam at its default learning rate. How far does
# that move a weight per step? Train the task's model so, for the same 20 epochs, from the same
# start, and record how far each weight moved at every step, as a multiple of the rate.
class StepMoves(keras.callbacks.Callback):
    """|change| of every weight at every training step."""

    def on_train_begin(self, logs=None):
        self.moves = []

    def on_train_batch_begin(self, batch, logs=None):
        self.before = [w.numpy().copy() for w in self.model.trainable_weights]

    def on_train_batch_end(self, batch, logs=None):
        self.moves.append(np.concatenate([np.abs(w.numpy() - b).ravel() for w, b in
                                          zip(self.model.trainable_weights, self.before)]))


keras.utils.set_random_seed(SEED)  # the starting weights of every option above
adam_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
adam_model.compile(optimizer="adam", loss="mean_squared_error")
adam_default_rate = float(adam_model.optimizer.learning_rate.numpy())
step_moves = StepMoves()
adam_model.fit(x_train, y_train, epochs=20, verbose=0, callbacks=[step_moves])
move_ratios = np.array(step_moves.moves) / adam_default_rate  # one row per step, one per weight
adam_default_steps = len(move_ratios)
adam_first_step = dict(min=float(move_ratios[0].min()), max=float(move_ratios[0].max()))
adam_last_step = dict(min=float(move_ratios[-1].min()), max=float(move_ratios[-1].max()))
adam_largest_move = float(move_ratios.max())
adam_default_mse = float(np.mean((adam_model(x_train).numpy() - y_train) ** 2))
# Adam moves a weight by at most about its rate per step, so the farthest weight needs at least:
steps_needed_at_default = task2_runs["C"]["weight_change"] / adam_default_rate
print(f"optimizer='adam' (learning rate {adam_default_rate:g}), {adam_default_steps} steps; "
      f"each weight's move per step, in learning rates:")
print(f"  first step: {adam_first_step['min']:.3f} to {adam_first_step['max']:.3f}; "
      f"last step: {adam_last_step['min']:.3f} to {adam_last_step['max']:.3f}; "
      f"largest of any step: {adam_largest_move:.3f}")
print(f"MSE {mse_before:.3f} -> {adam_default_mse:.3f}; mean_squared_error with "
      f"Adam(learning_rate=0.05) moved one weight {task2_runs['C']['weight_change']:.2f}: "
      f"at least {steps_needed_at_default:,.0f} steps at the default rate")

# %% task-3
task3 = dict(
    context="""
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mean_squared_error")
    """,
    template="""
    history = model.__1__(x_train, y_train, epochs=5, verbose=0)
    """,
    options={"A": "fit", "B": "train", "C": "run", "D": "execute"},
    check="""
    seen = dict(loss_first=history.history["loss"][0], loss_last=history.history["loss"][-1])
    """,
)
show(task3)

# %% task-3-runs
task3_runs, _ = ask(task3)
task3_table = [dict(method=task3["options"][letter], outcome=run["outcome"],
                    error=run["error"] or "-")
               for letter, run in task3_runs.items()]
task3_supported = [letter for letter, run in task3_runs.items() if run["outcome"] == "ran"]
for letter, run in task3_runs.items():
    print(f"model.{task3['options'][letter]}(...): {run['error'] or 'ran'}")
print(f"fit: loss per epoch {task3_runs['A']['loss_first']:.4f} -> "
      f"{task3_runs['A']['loss_last']:.4f}, largest weight change "
      f"{task3_runs['A']['weight_change']:.3f}")
claims.append(dict(
    source="003", claim="Task 3: `fit` trains the model; `train`, `run` and `execute` do not exist",
    measured=f"fit ran (loss {task3_runs['A']['loss_first']:.3f} -> "
             f"{task3_runs['A']['loss_last']:.3f}); the others raised "
             f"{task3_runs['B']['error'].split(':')[0]}",
    verdict=verdict(task3_supported, "A")))

# %% task-4
# Replaces the source's off-topic task 4 (a dictionary comprehension).
# Tasks 4 and 5 fit a line, y = 2x + 1, with a hand-written step on four points.
LINE = """
x = tf.constant([[-1.0], [0.0], [1.0], [2.0]])
y = 2.0 * x + 1.0
model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
"""
LOSS_NOW = "seen = dict(loss_now=float(tf.reduce_mean((y - model(x)) ** 2)))\n"
task4 = dict(
    context=LINE + "optimizer = keras.optimizers.SGD(learning_rate=0.1)\n",
    template="""
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((y - model(x)) ** 2)
    grads = tape.__1__(loss, model.trainable_variables)
    optimizer.__2__(zip(grads, model.trainable_variables))
    """,
    options={"A": "gradient", "B": "apply_gradients", "C": "zero_grad", "D": "watch"},
    check=LOSS_NOW + 'if "loss" in globals():  # the loss the step started from\n'
                     '    seen["loss_before"] = float(loss)\n',
)
show(task4)

# %% task-4-runs
task4_runs, _ = ask(task4)


def short(run):
    """A run in a few words: the error type, or what happened to the loss."""
    if run["outcome"] == "raised":
        return run["error"].split(":")[0]
    return "loss fell" if run["loss_now"] < run["loss_before"] else "ran, loss did not fall"


task4_table = [
    {"blank_1": task4["options"][first],
     **{f"blank 2: {task4['options'][second]}": short(task4_runs[first + second])
        for second in task4["options"]}}
    for first in task4["options"]
]
task4_supported = [letters for letters, run in task4_runs.items()
                   if run["outcome"] == "ran" and run["loss_now"] < run["loss_before"]]
# A TensorFlow step has nothing to zero: each step records a fresh tape, used once.
_, tape_reuse = attempt(joined(
    task4["context"],
    task4["template"].replace("__1__", "gradient").replace("__2__", "apply_gradients"),
    "tape.gradient(loss, model.trainable_variables)"))
print("fillings that train:", task4_supported)
print(f"AB: loss {task4_runs['AB']['loss_before']:.3f} -> {task4_runs['AB']['loss_now']:.3f}")
print("CB:", task4_runs["CB"]["error"])
print("AC:", task4_runs["AC"]["error"])
print("DB:", task4_runs["DB"]["error"])
print("second use of one tape:", tape_reuse["error"])

# %% task-5
# Replaces the source's off-topic task 5 (a dictionary comprehension).
task5 = dict(
    context=LINE,
    template="""
    optimizer = keras.optimizers.SGD(learning_rate=__1__)
    for step in range(20):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((y - model(x)) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    """,
    options={"A": "0.0", "B": "0.05", "C": "10.0", "D": "-0.05"},
    check=LOSS_NOW,
)
show(task5)

# %% task-5-runs
task5_runs, task5_start = ask(task5)
task5_loss_before = task5_start["loss_now"]
task5_table = [dict(learning_rate=task5["options"][letter], loss_before=task5_loss_before,
                    loss_after_20_steps=run["loss_now"],
                    largest_weight_change=run["weight_change"])
               for letter, run in task5_runs.items()]
task5_supported = [letter for letter, run in task5_runs.items()
                   if np.isfinite(run["loss_now"]) and run["loss_now"] < task5_loss_before / 10]
for row in task5_table:
    print(f"learning_rate={row['learning_rate']:>5}: loss {row['loss_before']:.3f} -> "
          f"{row['loss_after_20_steps']:.4g}, largest weight change "
          f"{row['largest_weight_change']:.4g}")

# %% houses
# Questions 1 and 5 ask what training is for. Each option is a statement about a run, so
# one small run answers them: a linear model learns house prices (in $100k) from two
# standardized features, size and rooms, and is judged on houses it never trained on.
features = rng.normal(size=(200, 2)).astype("float32")
prices = (3.0 + features @ np.array([[1.5], [0.5]], dtype="float32")
          + 0.1 * rng.normal(size=(200, 1)).astype("float32"))
train_x, test_x, train_y, test_y = features[:160], features[160:], prices[:160], prices[160:]
train_x_copy = train_x.copy()

keras.utils.set_random_seed(SEED)
house_model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
house_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mean_squared_error")


def house_state():
    """Errors on seen and unseen houses, size, weight shapes and predictions, right now."""
    predictions = house_model(test_x).numpy()
    return dict(train_mse=float(np.mean((house_model(train_x).numpy() - train_y) ** 2)),
                test_mse=float(np.mean((predictions - test_y) ** 2)),
                parameters=house_model.count_params(),
                shapes=[list(w.shape) for w in house_model.get_weights()],
                predictions=predictions.ravel())


houses_before = house_state()
house_model.fit(train_x, train_y, epochs=10, batch_size=32, verbose=0)
houses_after = house_state()
learned_kernel = house_model.layers[0].kernel.numpy().ravel()
learned_bias = float(house_model.layers[0].bias.numpy()[0])
prediction_change = float(np.abs(houses_after["predictions"] - houses_before["predictions"]).max())
houses_table = [dict(what=what, before=houses_before[key], after=houses_after[key])
                for what, key in (("error on training houses (MSE)", "train_mse"),
                                  ("error on unseen houses (MSE)", "test_mse"),
                                  ("parameters", "parameters"))]
print(f"MSE on training houses: {houses_before['train_mse']:.3f} -> "
      f"{houses_after['train_mse']:.4f}")
print(f"MSE on unseen houses:   {houses_before['test_mse']:.3f} -> "
      f"{houses_after['test_mse']:.4f}")
print(f"parameters: {houses_before['parameters']} -> {houses_after['parameters']}, "
      f"weight shapes {houses_before['shapes']} -> {houses_after['shapes']}")
print("training inputs unchanged:", np.array_equal(train_x, train_x_copy))
print(f"largest change of a prediction on an unseen house: {prediction_change:.3f}")
print(f"learned: price = {learned_bias:.3f} + {learned_kernel[0]:.3f} * size "
      f"+ {learned_kernel[1]:.3f} * rooms   (the data: 3 + 1.5 * size + 0.5 * rooms + noise)")

# %% mcq-1
mcq1 = dict(
    question="Why does training a TensorFlow model update its weights?",
    options={"A": "To shrink the gap between the model's predictions and the true values",
             "B": "To make the model bigger",
             "C": "To make the code execute faster",
             "D": "To alter the input data"},
)
print(mcq1["question"])
show_options(mcq1)

# %% mcq-1-runs
# Each option, as a statement the run can check.
mcq1_checks = {
    "A": houses_after["train_mse"] < houses_before["train_mse"],
    "B": houses_after["parameters"] > houses_before["parameters"],
    # Same weight shapes, so a prediction takes the same arithmetic before and after.
    "C": houses_after["shapes"] != houses_before["shapes"],
    "D": not np.array_equal(train_x, train_x_copy),
}
mcq1_supported = [letter for letter, holds in mcq1_checks.items() if holds]
print("options the run supports:", mcq1_supported)

# %% mcq-2
mcq2 = dict(
    context="""
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    model.compile(optimizer=optimizer, loss="mse")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((y_train - model(x_train)) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    """,
    template="__1__\n",
    options={"A": "tf.Variable(0.1)",
             "B": "model.compile(optimizer='adam', loss='mse')",
             "C": "model.fit(x_train, y_train, epochs=10, verbose=0)",
             "D": "optimizer.apply_gradients(zip(grads, model.trainable_variables))"},
    check="seen = dict(optimizer_steps=int(optimizer.iterations.numpy()),\n"
          "            model_optimizer=type(model.optimizer).__name__)",
)
print("Which line applies an optimizer to update the model's weights?")
show(mcq2)

# %% mcq-2-runs
mcq2_runs, _ = ask(mcq2)
mcq2_table = [dict(option=f"{letter}) {mcq2['options'][letter]}", outcome=run["outcome"],
                   optimizer_steps=run["optimizer_steps"],
                   largest_weight_change=run["weight_change"])
              for letter, run in mcq2_runs.items()]
mcq2_supported = [letter for letter, run in mcq2_runs.items()
                  if run["outcome"] == "ran" and run["weight_change"] > 0]
batches_per_epoch = -(-len(x_train) // 32)  # fit's default batch size is 32
for row in mcq2_table:
    print(f"{row['option']}: {row['optimizer_steps']} optimizer steps, "
          f"largest weight change {row['largest_weight_change']:.4f}")
claims.append(dict(
    source="001", claim="Question 2: only `apply_gradients` updates weights; fit does not update "
                      "them directly",
    measured=f"apply_gradients moved the weights with {mcq2_runs['D']['optimizer_steps']} "
             f"optimizer step; fit moved them with {mcq2_runs['C']['optimizer_steps']} steps of "
             f"the same optimizer; tf.Variable and compile moved nothing",
    verdict=verdict(mcq2_supported, "D")))

# %% mcq-3
mcq3_code = """
model = keras.Sequential([keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(learning_rate=0.1)

x = tf.constant([[1.0]])
y = tf.constant([[2.0]])

with tf.GradientTape() as tape:
    prediction = model(x)
    loss = tf.reduce_mean((y - prediction) ** 2)
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
print(loss.numpy())
"""
mcq3 = dict(
    question="What does this training step print?",
    options={"A": "A negative number", "B": "Exactly zero", "C": "A positive number close to 1.0",
             "D": "An error: the input is missing"},
)
print(mcq3["question"])
print(mcq3_code)
show_options(mcq3)

# %% mcq-3-runs
mcq3_namespace, mcq3_run = attempt(mcq3_code)
mcq3_printed = float(mcq3_run["printed"])
loss_after_step = float(tf.reduce_mean((mcq3_namespace["y"] - mcq3_namespace["model"](
    mcq3_namespace["x"])) ** 2))
print(f"seed {SEED}: printed {mcq3_run['printed']} ({mcq3_run['outcome']}, "
      f"{len(mcq3_run['warnings'])} warnings); the loss after the step is {loss_after_step:.4f}")

# The printed loss is (2 - (w * 1 + b))^2 for the freshly initialized w and b, so the
# distribution over seeds needs only the initial weights: build the layer, no training.
SEEDS = list(range(50))
n_seeds = len(SEEDS)


def first_weights(seed):
    """The kernel and bias a fresh Dense(1) layer draws with this seed."""
    keras.utils.set_random_seed(seed)
    layer = keras.layers.Dense(1)
    layer.build((None, 1))
    return float(layer.kernel.numpy()[0, 0]), float(layer.bias.numpy()[0])


first_kernels, first_biases = zip(*(first_weights(seed) for seed in SEEDS))
first_losses = [(2.0 - (w * 1.0 + b)) ** 2 for w, b in zip(first_kernels, first_biases)]
CLOSE = (0.5, 1.5)  # what "close to 1.0" is taken to mean: within 0.5 of it
share_close = float(np.mean([CLOSE[0] <= loss <= CLOSE[1] for loss in first_losses]))
glorot_limit = float(np.sqrt(6 / (1 + 1)))  # Glorot uniform, 1 input and 1 output
loss_floor, loss_ceiling = (2 - glorot_limit) ** 2, (2 + glorot_limit) ** 2
expected_loss = 4 + glorot_limit ** 2 / 3  # E[(2 - w)^2] for w uniform on +-limit
loss_stats = dict(min=min(first_losses), median=float(np.median(first_losses)),
                  mean=float(np.mean(first_losses)), max=max(first_losses))
all_biases_zero = all(b == 0.0 for b in first_biases)
own_w, own_b = first_weights(SEED)
seed_matches = abs((2.0 - (own_w + own_b)) ** 2 - mcq3_printed) < 1e-5  # the printed loss
mcq3_checks = {"A": min(first_losses) < 0, "B": min(first_losses) == 0,
               "C": share_close > 0.9, "D": mcq3_run["outcome"] == "raised"}
mcq3_supported = [letter for letter, holds in mcq3_checks.items() if holds]
print(f"over {len(SEEDS)} seeds: min {loss_stats['min']:.3f}, median {loss_stats['median']:.4f}, "
      f"mean {loss_stats['mean']:.3f}, max {loss_stats['max']:.3f}")
print(f"share within {CLOSE}: {share_close:.0%}; possible range "
      f"[{loss_floor:.3f}, {loss_ceiling:.3f}]; every initial bias is 0: {all_biases_zero}")
print(f"the layer rebuilt with seed {SEED} gives the printed loss:", seed_matches)
claims += [
    dict(source="001", claim="Question 3: the printed loss is a positive number close to 1.0",
         measured=f"positive for every seed, but within {CLOSE} for only {share_close:.0%} of "
                  f"{len(SEEDS)} seeds (median {loss_stats['median']:.2f}, range "
                  f"{loss_stats['min']:.2f} to {loss_stats['max']:.2f}); seed {SEED} printed "
                  f"{mcq3_printed:.3f}",
         verdict="holds" if mcq3_checks["C"] else ("depends" if share_close > 0 else "wrong")),
    dict(source="001", claim="Question 3: the initial loss is positive because the weights start "
                           "random",
         measured=f"the kernel starts random (Glorot uniform, within +-{glorot_limit:.3f}), the "
                  f"bias starts at 0 for all {len(SEEDS)} seeds; the loss is positive because "
                  f"w can never reach 2",
         verdict="depends" if all_biases_zero else "holds"),
]

# %% mcq-3-figure
fig, ax = plt.subplots(figsize=(6, 3.4), num="mcq3_first_losses")
ax.axvspan(*CLOSE, color="tab:green", alpha=0.2, label="within 0.5 of 1.0")
ax.hist(first_losses, bins=np.linspace(0, loss_ceiling, 29), color="tab:blue",
        edgecolor="white", label=f"{len(SEEDS)} seeds")
ax.axvline(mcq3_printed, color="black", linestyle="--", label=f"seed {SEED}")
for bound in (loss_floor, loss_ceiling):
    ax.axvline(bound, color="grey", linestyle=":", label="possible range" if bound == loss_floor
               else None)
ax.set(title="Question 3: the printed loss over 50 seeds", xlabel="printed loss",
       ylabel="seeds")
ax.legend()
fig.tight_layout()
plt.show()

# %% mcq-4
mcq4_code = """
model = keras.Sequential([keras.layers.Dense(1)])
optimizer = keras.optimizers.Adam(learning_rate=0.01)

x = tf.constant([[1.0]])
y = tf.constant([[2.0]])

with tf.GradientTape() as tape:
    prediction = model(x)
    loss = tf.reduce_mean((y - prediction) ** 2)
grads = tape.gradient(loss, model.trainable_variables)
# Missing apply_gradients call here
print(model.trainable_variables[0].numpy())
"""
mcq4 = dict(
    question="This code is meant to update the weights, but they do not change. Why?",
    options={"A": "The optimizer never applies the gradients to the weights",
             "B": "The GradientTape is misused",
             "C": "The loss is computed wrongly",
             "D": "The model has no layers"},
)
print(mcq4["question"])
print(mcq4_code)
show_options(mcq4)

# %% mcq-4-runs
mcq4_start, _ = attempt("model = keras.Sequential([keras.layers.Dense(1)])\n"
                        "model(tf.constant([[1.0]]))\n")
mcq4_as_written, mcq4_run = attempt(mcq4_code)
mcq4_fixed, mcq4_fixed_run = attempt(mcq4_code.replace(
    "# Missing apply_gradients call here",
    "optimizer.apply_gradients(zip(grads, model.trainable_variables))"))


def change(namespace):
    return max(float(np.abs(a - b).max())
               for a, b in zip(weights_of(namespace), weights_of(mcq4_start)))


mcq4_change_as_written, mcq4_change_fixed = change(mcq4_as_written), change(mcq4_fixed)
mcq4_layers = len(mcq4_as_written["model"].layers)
grads = mcq4_as_written["grads"]
keras_mse = float(keras.losses.MeanSquaredError()(mcq4_as_written["y"],
                                                   mcq4_as_written["prediction"]))
mcq4_checks = {
    "A": mcq4_change_as_written == 0 and mcq4_change_fixed > 0,
    "B": any(g is None or not np.all(np.isfinite(g)) for g in grads),
    "C": abs(keras_mse - float(mcq4_as_written["loss"])) > 1e-6,
    "D": mcq4_layers == 0,
}
mcq4_supported = [letter for letter, holds in mcq4_checks.items() if holds]
print(f"as written: printed {mcq4_run['printed']}, largest weight change {mcq4_change_as_written}")
print(f"with apply_gradients: printed {mcq4_fixed_run['printed']}, "
      f"largest weight change {mcq4_change_fixed:.4f}")
print("gradients:", [g.numpy().ravel().tolist() for g in grads])
print(f"loss {float(mcq4_as_written['loss']):.4f}, Keras' own MSE {keras_mse:.4f}, "
      f"layers: {mcq4_layers}")
print("options the run supports:", mcq4_supported)

# %% mcq-5
mcq5 = dict(
    question="You train a model to predict house prices. Why does it matter that training "
             "updates the weights with an optimizer and a loss?",
    options={"A": "It speeds training up and leaves the predictions as they were",
             "B": "It lets the model pick up the pattern in the data, so its predictions improve",
             "C": "It adjusts the input features until they match the prices",
             "D": "It grows the model so that it can hold more data"},
)
print(mcq5["question"])
show_options(mcq5)

# %% mcq-5-runs
mcq5_checks = {
    "A": prediction_change == 0,
    "B": houses_after["test_mse"] < houses_before["test_mse"] / 10,
    "C": not np.array_equal(train_x, train_x_copy),
    "D": houses_after["parameters"] > houses_before["parameters"],
}
mcq5_supported = [letter for letter, holds in mcq5_checks.items() if holds]
print("options the run supports:", mcq5_supported)

# %% answer-key
# The source's answer key: its "Final Answer" and the letter its own "Quick Check" names.
source_key = {"1": ("A", "B"), "2": ("D", "A"), "3": ("C", "A"), "4": ("A", "C"), "5": ("B", "D")}
supported = {"1": mcq1_supported, "2": mcq2_supported, "3": mcq3_supported,
             "4": mcq4_supported, "5": mcq5_supported}
run_supports = {number: ", ".join(letters) for number, letters in supported.items()}
if not mcq3_supported and min(first_losses) > 0:
    run_supports["3"] = (f"C only in part: always positive, within 0.5 of 1.0 for "
                         f"{share_close:.0%} of seeds")
answer_key = [dict(question=number, source_final_answer=final, source_quick_check=quick,
                   run_supports=run_supports[number])
              for number, (final, quick) in source_key.items()]
mcq3_verdict = next(c["verdict"] for c in claims if c["claim"].startswith(
    "Question 3: the printed loss"))
quick_checks_agree = sum(quick == final for final, quick in source_key.values())
quick_checks_supported = sum(quick in supported[number]
                             for number, (_, quick) in source_key.items())
for number in ("1", "4", "5"):
    final = source_key[number][0]
    claims.append(dict(source="001", claim=f"Question {number}: the answer is option {final}",
                       measured=f"the run supports {', '.join(supported[number]) or 'no option'}",
                       verdict=verdict(supported[number], final)))
claims.append(dict(
    source="001", claim="The Quick Check lines confirm each Final Answer",
    measured=f"{quick_checks_agree} of {len(source_key)} Quick Check letters match the Final Answer "
             f"they follow; {quick_checks_supported} name a letter the runs support",
    verdict="holds" if quick_checks_agree == len(source_key) else "wrong"))
for row in answer_key:
    print(row)
for claim in claims:
    print(f"[{claim['verdict']}] {claim['claim']}: {claim['measured']}")
