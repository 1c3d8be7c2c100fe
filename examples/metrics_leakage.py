"""Data leakage on MNIST: two leaks that inflate the measured accuracy, and the honest number.

Leak 1: a column that was filled in from the label sits next to the pixels. Leak 2: test images
were copied into the training set. In both cases the leaked evaluation looks better than the
model really is.
"""

# %% setup
import keras
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow at once
tf.config.experimental.enable_op_determinism()

# %% data
def flatten(images):
    """28x28 uint8 images -> rows of 784 float32 pixels in [0, 1], as a Dense layer takes them."""
    return images.reshape(-1, 28 * 28).astype("float32") / 255.0


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = flatten(x_train)
x_test = flatten(x_test)
x_fit, y_fit = x_train[:5_000], y_train[:5_000]
x_val, y_val = x_train[-5_000:], y_train[-5_000:]


def build_model(inputs):
    """`inputs` features -> 128 ReLU units -> 10 digit probabilities, trained by Adam."""
    model = keras.Sequential([
        keras.Input(shape=(inputs,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


# %% label-column
# Ten extra columns, one-hot from the label: say a "category" field someone filled in from
# the answer. Train and validation data both have it; new images arrive without it (zeros).
def with_column(x, y):
    return np.hstack([x, keras.utils.to_categorical(y, 10)]).astype("float32")


def without_column(x):
    return np.hstack([x, np.zeros((len(x), 10), "float32")])


leaky = build_model(28 * 28 + 10)
leaky.fit(with_column(x_fit, y_fit), y_fit, epochs=3, batch_size=64, verbose=0)
_, leaky_val_accuracy = leaky.evaluate(with_column(x_val, y_val), y_val, verbose=0)
_, leaky_test_accuracy = leaky.evaluate(without_column(x_test), y_test, verbose=0)

keras.utils.set_random_seed(SEED)
honest = build_model(28 * 28)
honest.fit(x_fit, y_fit, epochs=3, batch_size=64, verbose=0)
_, honest_val_accuracy = honest.evaluate(x_val, y_val, verbose=0)
_, honest_test_accuracy = honest.evaluate(x_test, y_test, verbose=0)
print(f"{'':32} {'validation':>10} {'test (no column)':>17}")
print(f"{'trained with the label column':32} {leaky_val_accuracy:>10.4f} "
      f"{leaky_test_accuracy:>17.4f}")
print(f"{'trained on pixels only':32} {honest_val_accuracy:>10.4f} {honest_test_accuracy:>17.4f}")
# How many times more mistakes the leaky model makes in use than its validation promised.
leak_error_ratio = (1 - leaky_test_accuracy) / (1 - leaky_val_accuracy)
print(f"errors in use / errors promised by validation: {leak_error_ratio:.1f}")

# %% duplicates
# 1,000 test images copied into the training set (with their labels), then "tested" on.
x_leaked, y_leaked = x_test[:1_000], y_test[:1_000]
x_unseen, y_unseen = x_test[1_000:], y_test[1_000:]
keras.utils.set_random_seed(SEED)
copied = build_model(28 * 28)
copied.fit(np.concatenate([x_fit, x_leaked]), np.concatenate([y_fit, y_leaked]), epochs=15,
           batch_size=64, verbose=0)
_, leaked_accuracy = copied.evaluate(x_leaked, y_leaked, verbose=0)
_, unseen_accuracy = copied.evaluate(x_unseen, y_unseen, verbose=0)
leaked_errors = round((1 - leaked_accuracy) * len(y_leaked))
unseen_error_rate = 1 - unseen_accuracy
print(f"accuracy on the 1,000 test images that were also trained on: {leaked_accuracy:.4f}")
print(f"accuracy on the 9,000 test images it never saw:              {unseen_accuracy:.4f}")
print(f"error rate: {1 - leaked_accuracy:.2%} on copied images, {unseen_error_rate:.2%} on "
      f"unseen ones")

# %% claims
claims = [
    dict(source="002", claim="Training on data that leaks test information inflates the metrics",
         measured=f"with a label-derived column: validation accuracy {leaky_val_accuracy:.3f}, "
                  f"then {leaky_test_accuracy:.3f} on images without it (pixels-only model: "
                  f"{honest_test_accuracy:.3f}); with 1,000 test images copied into training: "
                  f"{leaked_accuracy:.3f} on those, {unseen_accuracy:.3f} on the other 9,000",
         verdict="holds" if leaky_val_accuracy > honest_val_accuracy > leaky_test_accuracy
         and leaked_accuracy > unseen_accuracy else "wrong"),
]
for c in claims:
    print(f"[{c['verdict']}] {c['claim']}: {c['measured']}")
