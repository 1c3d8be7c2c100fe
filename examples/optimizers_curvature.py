"""How stretched is a real network's loss? The MNIST network's curvature, measured.

The momentum page's bowl is 100 times steeper one way than the other. This script asks
the same question of the experiment page's network (784 -> 64 ReLU -> 10 softmax): how
steep is the loss along its steepest direction compared with a typical one, at the random
start and after training? It never forms the 50,890 x 50,890 matrix of second derivatives
(the Hessian); it multiplies vectors by it with two nested GradientTapes, and finds its
extreme eigenvalues by the Lanczos iteration. Then plain SGD and SGD with momentum train
the same network, each at the best of three learning rates.
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
x_train, x_test = flatten(x_train), flatten(x_test)
x_probe, y_probe = x_train[:2000], y_train[:2000]  # the loss whose curvature is measured
print("training images:", x_train.shape, " curvature measured on:", x_probe.shape)


def build_model():
    keras.utils.set_random_seed(SEED)
    return keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])


# %% hessian
# H v, the Hessian times a vector, without the Hessian: the gradient of (gradient . v).
def hessian_vector_product(model):
    variables = model.trainable_variables
    shapes = [v.shape for v in variables]
    sizes = [int(np.prod(s)) for s in shapes]
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    @tf.function
    def product(vector):
        pieces = [tf.reshape(p, s) for p, s in zip(tf.split(vector, sizes), shapes)]
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                loss = loss_fn(y_probe, model(x_probe))
            gradients = inner.gradient(loss, variables)
            along = tf.add_n([tf.reduce_sum(g * p) for g, p in zip(gradients, pieces)])
        return tf.concat([tf.reshape(h, [-1]) for h in outer.gradient(along, variables)], 0)

    return lambda v: product(tf.constant(v, tf.float32)).numpy().astype("float64"), sum(sizes)


def lanczos(multiply, size, steps, rng):
    """Eigenvalues of the small tridiagonal matrix Lanczos builds; its extremes converge first."""
    basis = np.zeros((steps, size))
    alphas, betas = [], []
    q = rng.standard_normal(size)
    q /= np.linalg.norm(q)
    for k in range(steps):
        basis[k] = q
        w = multiply(q)
        alphas.append(q @ w)
        w -= basis[: k + 1].T @ (basis[: k + 1] @ w)  # full re-orthogonalization
        beta = np.linalg.norm(w)
        if k == steps - 1 or beta < 1e-10:
            break
        betas.append(beta)
        q = w / beta
    t = np.diag(alphas) + np.diag(betas[: len(alphas) - 1], 1) + np.diag(betas[: len(alphas) - 1], -1)
    return np.sort(np.linalg.eigvalsh(t))[::-1]


def mean_eigenvalue(multiply, size, probes, rng):
    """Hutchinson's estimate: for random +-1 vectors z, z.Hz averages to trace(H)."""
    return float(np.mean([z @ multiply(z) for z in rng.choice([-1.0, 1.0], (probes, size))])) / size


def curvature(model, label):
    multiply, size = hessian_vector_product(model)
    rng = np.random.default_rng(SEED)
    ritz = lanczos(multiply, size, steps=60, rng=rng)
    mean = mean_eigenvalue(multiply, size, probes=30, rng=rng)
    # A direction that only moves the weights of a pixel blank in every probe image.
    blank = x_probe.max(axis=0) == 0
    flat = np.zeros(size)
    flat[: 784 * 64] = np.repeat(blank, 64) * rng.standard_normal(784 * 64)
    flat_curvature = float(np.abs(multiply(flat)).max())
    result = dict(label=label, largest=float(ritz[0]), most_negative=float(ritz[-1]),
                  top=[float(v) for v in ritz[:5]], mean=mean, stretch=float(ritz[0] / mean),
                  flat_curvature=flat_curvature, blank_pixels=int(blank.sum()))
    print(f"{label}: largest eigenvalue {ritz[0]:.3f}, most negative {ritz[-1]:.4f}, "
          f"mean eigenvalue {mean:.5f}; largest / mean = {ritz[0] / mean:,.0f}")
    print(f"  Hv along the weights of the {int(blank.sum())} blank pixels: "
          f"largest |entry| {flat_curvature:g}")
    return result


# %% measure
model = build_model()
start = curvature(model, "at the start")
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"], steps_per_execution=32)
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
trained = curvature(model, "after one epoch of SGD")
stable_rate_limit = 2 / trained["largest"]  # plain descent's limit on a bowl this steep
print(f"2 / largest eigenvalue after training: {stable_rate_limit:.3f}")


# %% momentum
# Plain SGD against SGD with momentum 0.9, each at three learning rates, one epoch each.
def train(learning_rate, momentum):
    model = build_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate, momentum=momentum),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=32)
    history = model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    return dict(learning_rate=learning_rate, momentum=momentum,
                train_loss=history.history["loss"][0], test_loss=test_loss,
                test_accuracy=test_accuracy)


sweep = [train(rate, 0.0) for rate in (0.03, 0.1, 0.3)]
sweep += [train(rate, 0.9) for rate in (0.003, 0.01, 0.03)]
# With momentum 0.9 a steady gradient builds up a step 1 / (1 - 0.9) = 10 times the rate,
# so each momentum rate is paired with the plain rate ten times larger.
print(f"{'momentum':>8} {'rate':>6} {'rate / (1 - momentum)':>22} {'epoch loss':>11} "
      f"{'test loss':>10} {'test acc':>9}")
for r in sweep:
    r["effective_rate"] = r["learning_rate"] / (1 - r["momentum"])
    print(f"{r['momentum']:>8g} {r['learning_rate']:>6g} {r['effective_rate']:>22g} "
          f"{r['train_loss']:>11.4f} {r['test_loss']:>10.4f} {r['test_accuracy']:>9.4f}")
pair_gaps = [abs(plain["test_loss"] - heavy["test_loss"]) / plain["test_loss"]
             for plain, heavy in zip(sweep[:3], sweep[3:])]
largest_pair_gap = max(pair_gaps)  # relative gap in test loss, plain rate 10r against momentum r
best_plain = min((r for r in sweep if r["momentum"] == 0), key=lambda r: r["test_loss"])
best_momentum = min((r for r in sweep if r["momentum"] > 0), key=lambda r: r["test_loss"])
print(f"best plain SGD: rate {best_plain['learning_rate']:g}, test loss "
      f"{best_plain['test_loss']:.4f}; best with momentum: rate "
      f"{best_momentum['learning_rate']:g}, test loss {best_momentum['test_loss']:.4f}")

# %% figure
# Only the extreme Lanczos values are converged eigenvalues, so only those are drawn: the
# steepest and the most negative curvature, against the mean, on a log scale.
BOWL_STRETCH = 100  # the momentum page's bowl: 100 times steeper one way than the other
fig, ax = plt.subplots(figsize=(6.5, 3.6), num="curvature_spectrum")
points = [start, trained]
width = 0.25
for offset, (key, label, transform) in zip((-width, 0, width), (
        ("largest", "largest eigenvalue", abs),
        ("most_negative", "|most negative eigenvalue|", abs),
        ("mean", "mean eigenvalue", abs))):
    ax.bar(np.arange(2) + offset, [transform(p[key]) for p in points], width, label=label)
for x, p in enumerate(points):
    ax.annotate(f"largest / mean = {p['stretch']:,.0f}", (x, p["largest"]), ha="center",
                xytext=(0, 6), textcoords="offset points", fontsize=9)
ax.set(yscale="log", xticks=[0, 1], xticklabels=[p["label"] for p in points],
       ylabel="curvature (Hessian eigenvalue)", ylim=(1e-4, 1e3),
       title=f"The MNIST network's loss (the bowl: largest / smallest = {BOWL_STRETCH})")
ax.legend(fontsize=8, loc="upper center", ncol=3)
fig.tight_layout()
plt.show()
