"""Backpropagation by hand through one hidden layer, checked against GradientTape.

A network of 784 inputs -> 16 ReLU units -> 10 softmax outputs sees a batch of 8 MNIST
images. The forward pass is written out in NumPy, one operation at a time; then the chain
rule is applied backwards through the same operations, each local gradient with its shape,
until every weight has its gradient. The last cell asks TensorFlow's GradientTape for the
same gradients and measures how far apart the two are.
"""

# %% setup
import keras
import numpy as np
import tensorflow as tf

SEED = 0
BATCH = 8
HIDDEN = 16
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

(x_train, y_train), _ = keras.datasets.mnist.load_data()
x = x_train[:BATCH].reshape(BATCH, 28 * 28).astype("float32") / 255.0  # (8, 784)
y = y_train[:BATCH]  # (8,) digit labels
print("batch:", x.shape, "labels:", y.tolist())

model = keras.Sequential([
    keras.Input(shape=(28 * 28,)),
    keras.layers.Dense(HIDDEN, activation="relu", name="hidden"),
    keras.layers.Dense(10, activation="softmax", name="output"),
])
W1, b1 = (v.numpy() for v in model.get_layer("hidden").weights)  # (784, 16), (16,)
W2, b2 = (v.numpy() for v in model.get_layer("output").weights)  # (16, 10), (10,)
# A fresh layer's biases start at zero, and at zero ReLU's gradient is a matter of
# convention; small random biases keep this example away from that corner.
rng = np.random.default_rng(SEED)
b1 = rng.normal(0, 0.1, HIDDEN).astype("float32")
b2 = rng.normal(0, 0.1, 10).astype("float32")
model.get_layer("hidden").bias.assign(b1)
model.get_layer("output").bias.assign(b2)

# %% scalar
# Before matrices, one path with single numbers: z = w x + b, h = relu(z), p = v h,
# L = (p - y)^2. Forward: compute left to right. Backward: multiply local slopes right to left.
import matplotlib.pyplot as plt

sx, sy, sw, sb, sv = 2.0, 1.0, 0.5, 0.3, -0.4
sz = sw * sx + sb
sh = max(sz, 0.0)
sp = sv * sh
sL = (sp - sy) ** 2
dL_dp = 2 * (sp - sy)  # d/dp (p - y)^2
dL_dv = dL_dp * sh  # p = v h: the slope along v is h
dL_dh = dL_dp * sv  # ... and along h it is v
dL_dz = dL_dh * (1.0 if sz > 0 else 0.0)  # relu passes the gradient where z > 0
dL_dw = dL_dz * sx  # z = w x + b: the slope along w is x
dL_db = dL_dz  # ... and along b it is 1
scalar_graph = {"z": sz, "h": sh, "p": sp, "L": sL, "dL_dp": dL_dp, "dL_dh": dL_dh,
                "dL_dz": dL_dz, "dL_dw": dL_dw, "dL_db": dL_db, "dL_dv": dL_dv}
for name, value in scalar_graph.items():
    print(f"{name.replace('_', '/'):>6} = {value:8.4f}")

tw, tb, tv = (tf.Variable(value) for value in (sw, sb, sv))
with tf.GradientTape() as tape:
    tL = (tv * tf.nn.relu(tw * sx + tb) - sy) ** 2
tape_grads = [float(g) for g in tape.gradient(tL, [tw, tb, tv])]
scalar_gap = max(abs(a - b) for a, b in zip(tape_grads, [dL_dw, dL_db, dL_dv]))
print(f"tape: dL/dw = {tape_grads[0]:.4f}, dL/db = {tape_grads[1]:.4f}, "
      f"dL/dv = {tape_grads[2]:.4f}; largest gap to the hand-made ones {scalar_gap:.1e}")

fig, ax = plt.subplots(figsize=(8, 3.6), num="scalar_graph")
ax.set_axis_off()
ax.set_xlim(-0.6, 4.6)
ax.set_ylim(-1.25, 1.35)
nodes = [  # (x position, label, forward value, gradient of L with respect to it)
    (0, "w x + b", sz, dL_dz), (1.3, "relu", sh, dL_dh), (2.6, "v h", sp, dL_dp),
    (3.9, "(p - y)²", sL, 1.0)]
names = ["z", "h", "p", "L"]
for (where, label, value, grad), name in zip(nodes, names):
    ax.text(where, 0, f"{name} = {label}", ha="center", va="center", fontsize=13,
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "black"})
    ax.text(where, 0.55, f"{name} = {value:.2f}", ha="center", fontsize=13)
    ax.text(where, -0.65, f"∂L/∂{name} = {grad:.2f}", ha="center", fontsize=13, color="C3")
for (left, *_), (right, *_) in zip(nodes, nodes[1:]):
    ax.annotate("", xy=(right - 0.5, 0.25), xytext=(left + 0.5, 0.25),
                arrowprops={"arrowstyle": "->", "color": "black"})
    ax.annotate("", xy=(left + 0.5, -0.25), xytext=(right - 0.5, -0.25),
                arrowprops={"arrowstyle": "->", "color": "C3"})
ax.text(0, 1.15, f"w = {sw}, x = {sx}, b = {sb}", ha="center", fontsize=12)
ax.text(2.6, 1.15, f"v = {sv}", ha="center", fontsize=12)
ax.text(3.9, 1.15, f"y = {sy}", ha="center", fontsize=12)
ax.text(0, -1.15, f"∂L/∂w = {dL_dw:.2f}, ∂L/∂b = {dL_db:.2f}", ha="center", fontsize=12,
        color="C3")
ax.text(2.6, -1.15, f"∂L/∂v = {dL_dv:.2f}", ha="center", fontsize=12, color="C3")
fig.tight_layout()
plt.show()

# %% forward
z1 = x @ W1 + b1                      # (8, 16)  hidden pre-activations
h = np.maximum(z1, 0)                 # (8, 16)  ReLU: negative values become 0
z2 = h @ W2 + b2                      # (8, 10)  output scores (logits)
e = np.exp(z2 - z2.max(axis=1, keepdims=True))
p = e / e.sum(axis=1, keepdims=True)  # (8, 10)  softmax: each row sums to 1
loss = -np.log(p[np.arange(BATCH), y]).mean()  # cross-entropy, averaged over the batch
print(f"loss by hand: {loss:.6f}")

forward = [
    {"step": "z1 = x W1 + b1", "shape": str(z1.shape)},
    {"step": "h = relu(z1)", "shape": str(h.shape)},
    {"step": "z2 = h W2 + b2", "shape": str(z2.shape)},
    {"step": "p = softmax(z2)", "shape": str(p.shape)},
    {"step": "loss = mean(-log p[label])", "shape": "()"},
]
active_share = float((z1 > 0).mean())
print(f"hidden units active (z1 > 0): {active_share:.0%} of {z1.size}")

# %% backward
one_hot = np.eye(10, dtype="float32")[y]
dz2 = (p - one_hot) / BATCH           # (8, 10)  d loss / d z2: softmax and cross-entropy together
dW2 = h.T @ dz2                       # (16, 10) = (16, 8) @ (8, 10)
db2 = dz2.sum(axis=0)                 # (10,)    a bias touches every row of the batch
dh = dz2 @ W2.T                       # (8, 16)  = (8, 10) @ (10, 16): back through W2
dz1 = dh * (z1 > 0)                   # (8, 16)  ReLU passes the gradient where it was active
dW1 = x.T @ dz1                       # (784, 16) = (784, 8) @ (8, 16)
db1 = dz1.sum(axis=0)                 # (16,)

by_hand = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
backward = [
    {"step": "dz2 = (p - one_hot(label)) / 8", "shape": str(dz2.shape)},
    {"step": "dW2 = h^T dz2", "shape": str(dW2.shape)},
    {"step": "db2 = sum of dz2 over the batch", "shape": str(db2.shape)},
    {"step": "dh = dz2 W2^T", "shape": str(dh.shape)},
    {"step": "dz1 = dh * (z1 > 0)", "shape": str(dz1.shape)},
    {"step": "dW1 = x^T dz1", "shape": str(dW1.shape)},
    {"step": "db1 = sum of dz1 over the batch", "shape": str(db1.shape)},
]
for row in backward:
    print(f"{row['step']:<34} {row['shape']}")
print("each gradient has its weight's shape:",
      all(by_hand[n].shape == w.shape for n, w in zip(by_hand, (W1, b1, W2, b2))))

# %% tape
loss_fn = keras.losses.SparseCategoricalCrossentropy()
with tf.GradientTape() as tape:
    tape_loss = loss_fn(y, model(x))
tape_grads = dict(zip(["W1", "b1", "W2", "b2"], tape.gradient(tape_loss, model.trainable_variables)))

agreement = []
for name, mine in by_hand.items():
    theirs = tape_grads[name].numpy()
    scale = float(np.abs(theirs).max())
    gap = float(np.abs(mine - theirs).max())
    agreement.append({"weight": name, "shape": str(theirs.shape), "largest |gradient|": scale,
                      "largest difference": gap, "relative": gap / scale})
    print(f"{name:<3} {str(theirs.shape):<10} largest |gradient| {scale:.3e}   "
          f"largest difference {gap:.1e}   relative {gap / scale:.1e}")
loss_gap = abs(float(tape_loss) - float(loss))
print(f"loss: by hand {loss:.6f}, tape {float(tape_loss):.6f}, difference {loss_gap:.1e}")
worst_relative = max(row["relative"] for row in agreement)
float32_epsilon = float(np.finfo(np.float32).eps)
rounding_steps = worst_relative / float32_epsilon
print(f"worst relative difference {worst_relative:.1e}; float32's rounding step is "
      f"{float32_epsilon:.1e}")

# %% nudge
# What a gradient promises: nudge one weight by a small amount and the loss moves by about
# gradient x nudge. Checked in float64 on the largest entry of dW1.
i, j = np.unravel_index(np.abs(dW1).argmax(), dW1.shape)


def loss_at(w1):
    hidden = np.maximum(x.astype("float64") @ w1 + b1, 0)
    scores = hidden @ W2.astype("float64") + b2
    scores -= scores.max(axis=1, keepdims=True)
    log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return -log_p[np.arange(BATCH), y].mean()


nudge = 1e-4
up, down = W1.astype("float64").copy(), W1.astype("float64").copy()
up[i, j] += nudge
down[i, j] -= nudge
measured_slope = float((loss_at(up) - loss_at(down)) / (2 * nudge))
print(f"W1[{i}, {j}]: backprop says {dW1[i, j]:.6f}; nudging it by ±{nudge:g} "
      f"moves the loss at a slope of {measured_slope:.6f}")
nudge_relative = abs(measured_slope - float(dW1[i, j])) / abs(measured_slope)
weight_count = sum(w.size for w in (W1, b1, W2, b2))
print(f"backpropagation gave all {weight_count:,} slopes in one backward pass")
