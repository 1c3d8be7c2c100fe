"""Myth: initial weights don't matter much.

The same network is trained the same way from four starting points: Keras' default random
initialization, all zeros, one constant for every weight, and random weights that are far
too large. We compare test accuracy and how many hidden units end up different from each other.
"""
# rundocs: backends=avx2,sse41

# %% setup
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 0
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

# %% data
def flatten(images):
    """28x28 uint8 images -> rows of 784 float32 pixels in [0, 1], as a Dense layer takes them."""
    return images.reshape(-1, 28 * 28).astype("float32") / 255.0


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = flatten(x_train[:5000])
y_train = y_train[:5000]
x_test = flatten(x_test)
print("training images:", x_train.shape, " test images:", x_test.shape)


# %% train
def train(initializer):
    """784 -> 32 ReLU -> 10 softmax with both kernels from `initializer`, 3 epochs of Adam."""
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(32, activation="relu", kernel_initializer=initializer,
                           name="hidden"),
        keras.layers.Dense(10, activation="softmax", kernel_initializer=initializer,
                           name="output"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    hidden = model.get_layer("hidden")
    before = [v.numpy().copy() for v in model.trainable_variables]
    history = model.fit(x_train, y_train, epochs=3, batch_size=32, verbose=0)
    # A hidden unit is its column of incoming weights plus its bias.
    units = np.vstack([hidden.kernel.numpy(), hidden.bias.numpy()]).T
    predictions = np.argmax(model(x_test), axis=1)
    result = dict(
        test_accuracy=float(np.mean(predictions == y_test)),
        final_loss=history.history["loss"][-1],
        distinct_units=len(np.unique(units, axis=0)),
        # how many units share each distinct set of weights, largest group first
        group_sizes=sorted(np.unique(units, axis=0, return_counts=True)[1].tolist(), reverse=True),
        distinct_among_first_six=len(np.unique(units[:6], axis=0)),
        unit_gap=float(np.abs(units - units[0]).max()),  # largest difference to hidden unit 0
        moved=[v.path.removeprefix(f"{model.name}/")
               for v, old in zip(model.trainable_variables, before) if np.any(v.numpy() != old)],
        digits_predicted=len(np.unique(predictions)),
        most_predicted_digit=int(np.bincount(predictions).argmax()),
    )
    return result, hidden.kernel.numpy()


initializers = {
    "default": ("default (Glorot uniform)", "glorot_uniform"),
    "zeros": ("all zeros", "zeros"),
    "constant": ("constant 0.01", keras.initializers.Constant(0.01)),
    "large": ("random, stddev 1", keras.initializers.RandomNormal(stddev=1.0, seed=SEED)),
}
results, hidden_kernels = {}, {}
for key, (_, initializer) in initializers.items():
    results[key], hidden_kernels[key] = train(initializer)
print(f"{'initialization':>24} {'test acc':>8} {'train loss':>10} {'distinct units':>14} "
      f"{'gap to unit 0':>13} {'digits predicted':>16}")
for key, r in results.items():
    print(f"{initializers[key][0]:>24} {r['test_accuracy']:>8.4f} {r['final_loss']:>10.4f} "
          f"{r['distinct_units']:>9} / 32 {r['unit_gap']:>13.3g} {r['digits_predicted']:>16}")
zeros = results["zeros"]
most_common_label = int(np.bincount(y_train).argmax())
print(f"all zeros: tensors that moved in training: {zeros['moved']}; it predicts digit "
      f"{zeros['most_predicted_digit']} for every test image (the commonest training label: "
      f"{most_common_label})")

# %% claims
worst = min(results.values(), key=lambda r: r["test_accuracy"])
claims = [dict(
    source="000",
    claim="Initial weights can strongly change how well and how fast training converges",
    measured=f"after the same 3 epochs: test accuracy {results['default']['test_accuracy']:.1%} "
             f"with Keras' default init, {results['zeros']['test_accuracy']:.1%} from all zeros, "
             f"{results['constant']['test_accuracy']:.1%} from a constant, "
             f"{results['large']['test_accuracy']:.1%} from random weights with stddev 1",
    verdict="holds" if results["default"]["test_accuracy"] - worst["test_accuracy"] > 0.3
    else "wrong",
)]

# %% figures
fig, ax = plt.subplots(figsize=(6.5, 3.2), num="accuracy_by_init")
labels = [label for label, _ in initializers.values()]
bars = ax.barh(labels, [r["test_accuracy"] for r in results.values()])
ax.bar_label(bars, [f"{r['test_accuracy']:.1%}; distinct hidden units: {r['distinct_units']}/32"
                    for r in results.values()], padding=3, fontsize=8)
ax.set(title="Test accuracy after 3 epochs, by initialization", xlabel="test accuracy",
       xlim=(0, 1.6), xticks=[0, 0.25, 0.5, 0.75, 1])
ax.invert_yaxis()
fig.tight_layout()
plt.show()

fig, axes = plt.subplots(4, 6, figsize=(7, 5), num="hidden_units_by_init")
for row, (key, kernel) in enumerate(hidden_kernels.items()):
    for unit in range(6):
        image = kernel[:, unit].reshape(28, 28)
        scale = np.abs(kernel).max() or 1.0  # an all-zero kernel gets a plain white square
        axes[row, unit].imshow(image, cmap="bwr", vmin=-scale, vmax=scale)
        axes[row, unit].set_xticks([]), axes[row, unit].set_yticks([])
    axes[row, 0].set_ylabel(initializers[key][0], fontsize=8)
for unit in range(6):
    axes[0, unit].set_title(f"unit {unit}", fontsize=9)
fig.suptitle("Incoming weights of hidden units 0-5 after training, as 28x28 images")
plt.show()
