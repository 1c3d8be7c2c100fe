"""The sources' code, then and now: their Keras 2 calls, run as written.

The sources were written for TensorFlow 2 with Keras 2, through ``tf.keras``. Since
TensorFlow 2.16, ``tf.keras`` is Keras 3. This script runs the sources' calls as written, one
at a time, and records what each did: ran, warned or raised, with the message. The site runs it
twice: under TensorFlow 2.15 with Keras 2, the last release of the sources' era, and under its
locked TensorFlow with Keras 3. The page sets the two runs side by side.
"""
# rundocs: backends=tf2_15

# %% setup
import warnings

import keras
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

versions = {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__}
keras_major = int(keras.__version__.split(".")[0])
tf_keras_is_keras = tf.keras.layers.Dense is keras.layers.Dense
print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, NumPy {np.__version__}")
print("tf.keras.layers.Dense is keras.layers.Dense:", tf_keras_is_keras)

MESSAGE = 240  # characters of a warning or error kept for the page
outcomes = []  # one row per call: source, call, outcome, message


def attempt(source, call, run):
    """Run ``run()``; record whether it ran, warned or raised, with the first message.

    Warnings count as Python shows them by default: every one, each time, except deprecation
    warnings that a library raises about its own internals (Keras 2's initializers, say, call
    ``random.randrange`` in a way Python 3.10 deprecated), which Python hides unless the
    script's own line triggers them.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("always", category=DeprecationWarning, module="__main__")
        try:
            value, error = run(), ""
        except Exception as raised:  # recorded, so that the next call still runs
            value, error = None, f"{type(raised).__name__}: {str(raised).strip()}"
    warned = [f"{w.category.__name__}: {str(w.message).strip()}" for w in caught]
    outcome = "raises" if error else "warns" if warned else "runs"
    message = (error or (warned[0] if warned else "")).splitlines()[0] if error or warned else ""
    message = message if len(message) <= MESSAGE else message[:MESSAGE - 1] + "…"
    outcomes.append({"source": source, "call": call, "outcome": outcome, "message": message})
    print(f"[{outcome}] {call}" + (f"\n    {message}" if message else ""))
    return value


# %% linear
# Source 004's linear model, line by line as written: input_shape on the layer, 1-D tensors
# to fit, a plain Python list to predict.
model = attempt("004", "Dense(units=1, input_shape=[1])", lambda: tf.keras.Sequential([
    tf.keras.layers.Dense(units=1, input_shape=[1])]))
attempt("004", "compile(SGD(learning_rate=0.01), MeanSquaredError())", lambda: model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.01),
    loss=tf.keras.losses.MeanSquaredError()))
xs = tf.constant([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=tf.float32)
ys = tf.constant([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=tf.float32)
attempt("004", "fit(xs, ys, epochs=500) on 1-D tensors",
        lambda: model.fit(xs, ys, epochs=500, verbose=0))
line_w, line_b = (float(v.numpy().ravel()[0]) for v in model.weights)
print(f"after fit: w = {line_w:.4f}, b = {line_b:.4f} (the line: w = 2, b = -1)")
predicted = attempt("004", "predict([10.0])", lambda: model.predict([10.0], verbose=0))
predict_list = None if predicted is None else float(np.ravel(predicted)[0])
predict_array = float(model.predict(np.array([[10.0]]), verbose=0).ravel()[0])
print("predict([10.0]):", predict_list, " predict(np.array([[10.0]])):", f"{predict_array:.4f}")

# %% mnist
# Source 001's MNIST network, as written, on the first 1,000 training images for one epoch
# (the calls are the point here; the full run is on the experiment page).
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_small = x_train[:1000].astype("float32").reshape(-1, 28 * 28) / 255.0
y_small = y_train[:1000]


def source_imports():
    from tensorflow.keras import layers, models  # the source's import line

    return layers, models


layers, models = attempt("001", "from tensorflow.keras import layers, models", source_imports)
network = attempt("001", "Dense(64, activation='relu', input_shape=(28*28,))",
                  lambda: models.Sequential([
                      layers.Dense(64, activation="relu", input_shape=(28 * 28,)),
                      layers.Dense(10, activation="softmax")]))
attempt("001", "compile('adam', 'sparse_categorical_crossentropy', ['accuracy'])",
        lambda: network.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                                metrics=["accuracy"]))
before = network.layers[0].get_weights()[0][0][:5].copy()
history = attempt("001", "fit(..., batch_size=32, validation_split=0.1)",
                  lambda: network.fit(x_small, y_small, epochs=1, batch_size=32,
                                      validation_split=0.1, verbose=0))
after = attempt("001", "layer.get_weights()[0][0][:5]",
                lambda: network.layers[0].get_weights()[0][0][:5])
mnist_weights_moved = bool(np.abs(after - before).max() > 0)
history_keys = sorted(history.history) if history else []
print("history keys:", history_keys, " the printed weights moved:", mnist_weights_moved)
# The sample the source prints, weights[0][0][:5], is the top-left pixel's weights to the
# first five hidden units, and that pixel is blank in every training image.
corner_pixel_max = int(x_train[:, 0, 0].max())
print("brightest top-left pixel in the training set:", corner_pixel_max)

# %% tape
# Source 003's one-layer task (units = 1), and the sources' GradientTape step on one point.
attempt("003", "Dense(1, input_shape=(3,))",
        lambda: tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))]))
step_model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
x, y = tf.constant([[1.0]]), tf.constant([[2.0]])


def tape_step():
    with tf.GradientTape() as tape:
        prediction = step_model(x)
        loss = tf.reduce_mean((y - prediction) ** 2)
    grads = tape.gradient(loss, step_model.trainable_variables)
    start = [v.numpy().copy() for v in step_model.trainable_variables]
    optimizer.apply_gradients(zip(grads, step_model.trainable_variables))
    return max(float(np.abs(v.numpy() - s).max())
               for v, s in zip(step_model.trainable_variables, start))


tape_change = attempt("000", "GradientTape, then optimizer.apply_gradients(zip(grads, ...))",
                      tape_step)
print(f"largest weight change of the tape step: {tape_change:.4f}")

# %% summary
calls = [o["call"] for o in outcomes]
raised = [o["call"] for o in outcomes if o["outcome"] == "raises"]
warned = [o["call"] for o in outcomes if o["outcome"] == "warns"]
print(f"{len(outcomes)} calls: {len(outcomes) - len(raised) - len(warned)} ran, "
      f"{len(warned)} warned, {len(raised)} raised")
