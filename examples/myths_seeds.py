"""Myth: training always finds the perfect weights.

The same small network is trained on the same MNIST subset with the same settings,
once per seed in an explicit list. Only the seed changes, and with it the starting
weights and the order of the batches. The final weights, losses and accuracies differ.
"""

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
def loss_and_accuracy(model, x, y):
    """Cross-entropy and accuracy of the model on (x, y), from one forward pass."""
    probabilities = model(x)
    loss = keras.losses.sparse_categorical_crossentropy(y, probabilities)
    return float(np.mean(loss)), float(np.mean(np.argmax(probabilities, axis=1) == y))


def train(seed):
    """784 -> 32 ReLU -> 10 softmax, Adam, 3 epochs, batches of 32; only the seed changes."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=3, batch_size=32, verbose=0)
    train_loss, _ = loss_and_accuracy(model, x_train, y_train)
    test_loss, test_accuracy = loss_and_accuracy(model, x_test, y_test)
    return model.layers[0].kernel.numpy(), train_loss, test_loss, test_accuracy


SEEDS = [0, 1, 2, 3, 4, 5, 6, 7]
train_losses, test_losses, test_accuracies = [], [], []
print(f"{'seed':>4} {'first hidden weight':>20} {'train loss':>11} {'test loss':>10} "
      f"{'test accuracy':>14}")
for seed in SEEDS:
    kernel, train_loss, test_loss, test_accuracy = train(seed)
    train_losses.append(train_loss)
    test_losses.append(test_loss)
    test_accuracies.append(test_accuracy)
    print(f"{seed:>4} {kernel[14 * 28 + 14, 0]:>20.4f} {train_loss:>11.4f} {test_loss:>10.4f} "
          f"{test_accuracy:>14.4f}")

# %% spread
train_loss_min, train_loss_max = min(train_losses), max(train_losses)
accuracy_min, accuracy_max = min(test_accuracies), max(test_accuracies)
distinct_train_losses = len(set(np.round(train_losses, 6)))
print(f"final training loss: {train_loss_min:.4f} to {train_loss_max:.4f} "
      f"({distinct_train_losses} different values from {len(SEEDS)} seeds)")
print(f"test accuracy:       {accuracy_min:.4f} to {accuracy_max:.4f}")

claims = [dict(
    source="000",
    claim="Training does not reliably find the single best set of weights: it ends at good "
          "but different weights",
    measured=f"{len(SEEDS)} seeds gave {distinct_train_losses} different final training losses, "
             f"{train_loss_min:.4f} to {train_loss_max:.4f}, and test accuracies from "
             f"{accuracy_min:.2%} to {accuracy_max:.2%}",
    verdict="holds" if distinct_train_losses == len(SEEDS) and accuracy_min > 0.8 else "wrong",
    also=["mnist_seeds"],  # the experiment's own network over seeds
)]

# %% strip-plot
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.4), num="seed_spread")
jitter = np.linspace(-0.08, 0.08, len(SEEDS))
groups = ((left, 1, train_losses), (left, 2, test_losses), (right, 1, test_accuracies))
for ax, position, values in groups:
    ax.boxplot(values, positions=[position], widths=0.4, showfliers=False)
    ax.scatter(position + jitter, values, color="C0", zorder=3)
left.set(title="Final loss, one dot per seed", ylabel="cross-entropy",
         xticks=[1, 2], xticklabels=["training", "test"])
right.set(title="Final test accuracy, one dot per seed", ylabel="accuracy",
          xticks=[1], xticklabels=["test"])
fig.tight_layout()
plt.show()
