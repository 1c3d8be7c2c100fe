"""Feature scaling as conditioning: what dividing the pixels by 255 does to the curvature.

The experiment page trained its network on raw pixels (0..255) and on scaled ones (0..1).
This script measures the curvature behind that difference, in two models:

1. A linear model's loss curves the way the inputs' second-moment matrix does. Its
   eigenvalues are computed for raw, scaled, centred and standardized pixels.
2. The experiment's network (784 -> 64 ReLU -> 10 softmax), on scaled pixels and on raw
   pixels with the first layer's starting weights divided by 255, so that both compute the
   same function. The largest curvature of the loss along each layer's weights is found by
   power iteration on Hessian-vector products.
"""

# %% setup
import keras
import numpy as np
import tensorflow as tf

SEED = 0
PROBE = 2000  # images the curvature is measured on
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

(x_train, y_train), _ = keras.datasets.mnist.load_data()
raw = x_train[:PROBE].reshape(-1, 28 * 28).astype("float64")  # 0..255
labels = y_train[:PROBE]
lit = raw.max(axis=0) > 0  # pixels that are not blank in every probe image
print(f"{PROBE} images; {int(lit.sum())} of 784 pixels are lit in at least one")

# %% linear
# For a linear model with a squared error, the Hessian is X^T X / n: its eigenvalues are the
# loss's curvatures. Pixels lit in only a few images make some eigenvalues (almost) exactly
# zero, flat directions, so largest / smallest is infinite for every version of the inputs;
# the stretch compared here is the largest curvature over the mean one, as on the momentum
# page.
def spectrum(x):
    eigenvalues = np.linalg.eigvalsh(x.T @ x / len(x))
    return float(eigenvalues.max()), float(eigenvalues.mean())


mean, std = raw[:, lit].mean(axis=0), raw[:, lit].std(axis=0)
inputs = {
    "raw, 0..255": raw[:, lit],
    "scaled, / 255": raw[:, lit] / 255,
    "centred, - mean": (raw[:, lit] - mean) / 255,
    "standardized": (raw[:, lit] - mean) / std,
}
linear = []
for name, x in inputs.items():
    largest, average = spectrum(x)
    linear.append({"inputs": name, "largest curvature": largest, "mean curvature": average,
                   "largest / mean": largest / average, "largest stable rate": 2 / largest})
    print(f"{name:<16} largest {largest:11.4g}   mean {average:10.4g}   "
          f"largest / mean {largest / average:8.1f}   plain descent stable below {2 / largest:.3g}")
raw_stretch, scaled_stretch, centred_stretch, standard_stretch = (
    row["largest / mean"] for row in linear)
raw_stable_rate, scaled_stable_rate = (row["largest stable rate"] for row in linear[:2])
scaling_keeps_condition = abs(scaled_stretch / raw_stretch - 1)
curvature_ratio = linear[0]["largest curvature"] / linear[1]["largest curvature"]
# The steepest direction of the uncentred inputs, next to the mean image: the cosine of the
# angle between them (1 = the same direction).
steepest = np.linalg.eigh(inputs["scaled, / 255"].T @ inputs["scaled, / 255"])[1][:, -1]
mean_alignment = float(abs(steepest @ mean) / np.linalg.norm(mean))
print(f"the steepest direction of the uncentred inputs and the mean image: cosine "
      f"{mean_alignment:.3f}")
print(f"dividing by 255 divides every curvature by {curvature_ratio:,.0f} (= 255^2) and changes "
      f"the stretch (largest / mean) by a relative {scaling_keeps_condition:.1e}")

# %% network
# The experiment's network, from one seed, in two versions that compute the same function:
# on scaled pixels, and on raw pixels with the first layer's starting weights / 255.
def build(divide_first_layer_by):
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])
    hidden = model.get_layer("hidden")
    hidden.kernel.assign(hidden.kernel / divide_first_layer_by)
    return model


def largest_curvature(model, x, layer, iterations=30):
    """The largest eigenvalue of the Hessian block of one layer's kernel, by power iteration."""
    kernel = model.get_layer(layer).kernel
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    x = tf.constant(x, tf.float32)

    @tf.function
    def hessian_times(v):
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                loss = loss_fn(labels, model(x))
            along = tf.reduce_sum(inner.gradient(loss, kernel) * v)
        return outer.gradient(along, kernel)

    u = tf.random.stateless_normal(kernel.shape, seed=[SEED, 1])
    for _ in range(iterations):
        u = u / tf.norm(u)
        hu = hessian_times(u)
        value = float(tf.reduce_sum(hu * u))  # u . Hu, the curvature along u
        u = hu
    return value


scaled_model, raw_model = build(1.0), build(255.0)
same_function = float(np.abs(scaled_model(raw / 255).numpy() - raw_model(raw).numpy()).max())
print(f"the two versions' outputs differ by at most {same_function:.1e}")
network = []
for layer in ("hidden", "output"):
    on_scaled = largest_curvature(scaled_model, raw / 255, layer)
    on_raw = largest_curvature(raw_model, raw, layer)
    network.append({"layer": layer, "on scaled pixels": on_scaled,
                    "on raw pixels, start / 255": on_raw, "raw / scaled": on_raw / on_scaled})
    print(f"{layer:<7} largest curvature: scaled {on_scaled:.4g}, raw {on_raw:.4g} "
          f"(x{on_raw / on_scaled:,.0f})")
hidden_ratio, output_ratio = (row["raw / scaled"] for row in network)
layer_stretch = {"scaled": network[0]["on scaled pixels"] / network[1]["on scaled pixels"],
                 "raw": network[0]["on raw pixels, start / 255"]
                 / network[1]["on raw pixels, start / 255"]}
print(f"first layer's largest curvature / second layer's: scaled {layer_stretch['scaled']:.3g}, "
      f"raw {layer_stretch['raw']:.3g}")
