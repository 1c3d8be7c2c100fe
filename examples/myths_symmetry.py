"""Myth: a trained network has one right set of weights.

Train one network, then build two more from its weights: one with the hidden units shuffled
into another order, one with each hidden unit's incoming weights scaled up and its outgoing
weights scaled down by the same factor. The weights change; what the network computes doesn't.
"""

# %% setup
import math

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
def build():
    return keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


model = build()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=3, batch_size=32, verbose=0)
w1, b1, w2, b2 = model.get_weights()  # hidden kernel, hidden bias, output kernel, output bias

# %% rearrange
rng = np.random.default_rng(SEED)
order = rng.permutation(32)  # hidden unit i of the new network is unit order[i] of the old
scale = rng.uniform(0.5, 2.0, size=32)  # ReLU(c * z) = c * ReLU(z) for any c > 0
variants = {
    "shuffled": [w1[:, order], b1[order], w2[order, :], b2],
    "rescaled": [w1 * scale, b1 * scale, w2 / scale[:, None], b2],
}


def test_loss(weights):
    """Test cross-entropy and predicted probabilities of a 784-32-10 network with these weights."""
    network = build()
    network.set_weights(weights)
    probabilities = network(x_test).numpy()
    loss = float(np.mean(keras.losses.sparse_categorical_crossentropy(y_test, probabilities)))
    return loss, probabilities


original_loss, original_probabilities = test_loss([w1, b1, w2, b2])
print(f"{'network':>9} {'weights changed':>16} {'test loss':>10} {'max |prob difference|':>22} "
      f"{'same predicted digits':>22}")
print(f"{'trained':>9} {'-':>16} {original_loss:>10.6f}")
comparison, probabilities_of = {}, {}
for name, weights in variants.items():
    loss, probabilities = test_loss(weights)
    probabilities_of[name] = probabilities
    changed = np.mean(np.concatenate([(new != old).ravel() for new, old
                                      in zip(weights, [w1, b1, w2, b2])]))
    comparison[name] = dict(
        weights_changed=float(changed),
        loss=loss,
        max_probability_difference=float(np.abs(probabilities - original_probabilities).max()),
        same_digits=float(np.mean(probabilities.argmax(1) == original_probabilities.argmax(1))),
    )
    c = comparison[name]
    print(f"{name:>9} {changed:>16.1%} {loss:>10.6f} {c['max_probability_difference']:>22.2e} "
          f"{c['same_digits']:>22.2%}")
orderings = float(math.factorial(32))
print(f"orders of 32 hidden units: 32! = {orderings:.3e}, every one a network with this loss")

# %% claims
shuffled = comparison["shuffled"]
claims = [dict(
    source="000",
    claim="The error surface has many valleys: there is no single best set of weights",
    measured=f"shuffling the hidden units changed {shuffled['weights_changed']:.1%} of the weights"
             f" and moved no predicted probability by more than "
             f"{shuffled['max_probability_difference']:.1e}; test loss {original_loss:.6f} before "
             f"and {shuffled['loss']:.6f} after",
    verdict="holds" if shuffled["weights_changed"] > 0.5
    and abs(shuffled["loss"] - original_loss) < 1e-5 else "wrong",
)]

# %% figure
shuffled_w1, shuffled_probabilities = variants["shuffled"][0], probabilities_of["shuffled"]
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.6), num="same_function")
left.scatter(w1.ravel()[::10], shuffled_w1.ravel()[::10], s=2, alpha=0.3)
left.set(title="Hidden weights: trained vs shuffled", xlabel="trained network",
         ylabel="shuffled network")
right.scatter(original_probabilities.ravel()[::10], shuffled_probabilities.ravel()[::10], s=2,
              alpha=0.3)
right.set(title="Test predictions: trained vs shuffled", xlabel="trained network",
          ylabel="shuffled network")
fig.tight_layout()
plt.show()
