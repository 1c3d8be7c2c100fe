"""Loss, accuracy, the confusion matrix and precision/recall, measured on one real MNIST run.

A digit classifier is trained on a subset of MNIST; its loss and accuracy are followed epoch
by epoch, its test errors are counted in a 10x10 confusion matrix, and a second network that
answers "is this digit a 5?" shows what a decision threshold does to precision and recall.
"""

# %% setup
import altair as alt
import keras
import matplotlib.pyplot as plt
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
x_fit, y_fit = x_train[:5_000], y_train[:5_000]  # a subset keeps the run short
x_val, y_val = x_train[-5_000:], y_train[-5_000:]  # held out: never used to fit weights
print(f"fit on {len(x_fit)} images, validate on {len(x_val)}, test on {len(x_test)}")


# %% model
def build_model(outputs, activation, loss):
    """784 pixels -> 128 ReLU units -> `outputs` units, trained by Adam on `loss`."""
    model = keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(outputs, activation=activation),
    ])
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


digits = build_model(10, "softmax", "sparse_categorical_crossentropy")
loss_before, accuracy_before = digits.evaluate(x_test, y_test, verbose=0)
errors_before = int(np.sum(digits.predict(x_test, verbose=0).argmax(axis=1) != y_test))
print(f"untrained: test loss {loss_before:.3f}, test accuracy {accuracy_before:.3f}, "
      f"{errors_before} wrong")
uniform_loss = float(np.log(10))  # cross-entropy of answering 1/10 for every digit
print(f"a uniform guess over 10 digits has loss ln(10) = {uniform_loss:.3f}")

# %% train
history = digits.fit(x_fit, y_fit, epochs=10, batch_size=64, validation_data=(x_val, y_val),
                     verbose=2)

# %% loss-vs-accuracy
h = history.history
epochs = np.arange(1, len(h["loss"]) + 1)
loss_fell_every_epoch = bool(np.all(np.diff(h["loss"]) < 0)
                             and np.all(np.diff(h["val_loss"]) < 0))
accuracy_rose_every_epoch = bool(np.all(np.diff(h["accuracy"]) > 0)
                                 and np.all(np.diff(h["val_accuracy"]) > 0))
print(f"training and validation loss fell every epoch:     {loss_fell_every_epoch}")
print(f"training and validation accuracy rose every epoch: {accuracy_rose_every_epoch}")

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="loss_and_accuracy")
left.plot(epochs, h["loss"], "o-", label="training")
left.plot(epochs, h["val_loss"], "s--", label="validation")
left.set(title="Loss (what training minimizes)", xlabel="epoch", ylabel="cross-entropy",
         xticks=epochs)
right.plot(epochs, h["accuracy"], "o-", label="training")
right.plot(epochs, h["val_accuracy"], "s--", label="validation")
right.set(title="Accuracy (what we read)", xlabel="epoch", ylabel="accuracy", xticks=epochs)
right.legend()
fig.tight_layout()
plt.show()

# %% confusion-matrix
test_loss, test_accuracy = digits.evaluate(x_test, y_test, verbose=0)
predicted = digits.predict(x_test, verbose=0).argmax(axis=1)
# Rows are the true digit, columns the predicted digit: matrix[i, j] counts digits i read as j.
matrix = tf.math.confusion_matrix(y_test, predicted, num_classes=10).numpy()
correct, errors = int(np.trace(matrix)), int(matrix.sum() - np.trace(matrix))
off_diagonal = matrix - np.diag(np.diag(matrix))
true_digit, read_as = np.unravel_index(off_diagonal.argmax(), matrix.shape)
worst_confusion = {"true": int(true_digit), "predicted": int(read_as),
                   "count": int(off_diagonal.max())}
recall_per_digit = np.diag(matrix) / matrix.sum(axis=1)  # share of each true digit found
hardest_digit = int(recall_per_digit.argmin())
hardest_recall = float(recall_per_digit.min())
print(f"test loss {test_loss:.3f}, test accuracy {test_accuracy:.4f}")
print(f"correct: {correct}, wrong: {errors} (of {matrix.sum()})")
print(f"most frequent mistake: a true {true_digit} read as {read_as}, {off_diagonal.max()} times")
print(f"hardest digit to find: {hardest_digit} (recall {hardest_recall:.3f})")
print("row sums (true digits):    ", matrix.sum(axis=1))
print("column sums (predictions): ", matrix.sum(axis=0))

fig, ax = plt.subplots(figsize=(6, 5.4), num="confusion_matrix")
ax.imshow(np.log1p(matrix), cmap="Blues")  # log scale so that small error counts show
for i in range(10):
    for j in range(10):
        ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=8,
                color="white" if i == j else "black")
ax.set(title="Confusion matrix on the 10,000 test digits", xlabel="predicted digit",
       ylabel="true digit", xticks=range(10), yticks=range(10))
fig.tight_layout()
plt.show()

# %% is-it-a-5
# A second network with one sigmoid output answers a yes/no question: "is this digit a 5?".
keras.utils.set_random_seed(SEED)
five = build_model(1, "sigmoid", "binary_crossentropy")
five.fit(x_fit, (y_fit == 5).astype("float32"), epochs=3, batch_size=64, verbose=0)
is_five = y_test == 5
score = five.predict(x_test, verbose=0)[:, 0]  # the network's probability that it is a 5
prevalence = float(is_five.mean())
print(f"test digits that are 5s: {is_five.sum()} of {len(is_five)} ({prevalence:.2%})")


def binary_counts(truth, said_yes):
    """TP, FP, FN, TN as plain ints."""
    return (int(np.sum(truth & said_yes)), int(np.sum(~truth & said_yes)),
            int(np.sum(truth & ~said_yes)), int(np.sum(~truth & ~said_yes)))


def precision_recall(truth, said_yes):
    """Precision: share of the "yes" answers that are right. Recall: share of the 5s found."""
    tp, fp, fn, _ = binary_counts(truth, said_yes)
    return tp / (tp + fp), tp / (tp + fn)


# %% two-by-two
# tf.math.confusion_matrix puts class 0 ("not a 5") first: [[TN, FP], [FN, TP]].
said_five = score >= 0.5
two_by_two = tf.math.confusion_matrix(is_five, said_five, num_classes=2).numpy()
tp, fp, fn, tn = binary_counts(is_five, said_five)
print("tf.math.confusion_matrix(is_five, said_five):")
print(two_by_two)
print(f"TP={tp} FP={fp} FN={fn} TN={tn}")
print(f"predictions of 'a 5':     {int(said_five.sum())} (= TP + FP = {tp + fp})")
print(f"predictions of 'not a 5': {int((~said_five).sum())} (= FN + TN = {fn + tn})")
# The source's table has columns "Predicted Positive | Predicted Negative" and rows
# "TP | FP" and "FN | TN": its column sums would be TP + FN and FP + TN.
source_column_sums = [tp + fn, fp + tn]
true_column_sums = [tp + fp, fn + tn]
print(f"column sums in the source's layout: {source_column_sums}; real prediction counts: "
      f"{true_column_sums}")
rows_2x2 = [
    {"": "actually a 5", "predicted a 5": f"TP = {tp}", "predicted not a 5": f"FN = {fn}"},
    {"": "actually not a 5", "predicted a 5": f"FP = {fp}", "predicted not a 5": f"TN = {tn}"},
]

# %% threshold-sweep
# The weights stay fixed; only the cut-off that turns a probability into "yes" moves.
thresholds = np.round(np.linspace(0.02, 0.98, 49), 2)
sweep = np.array([precision_recall(is_five, score >= t) for t in thresholds])
precisions, recalls = sweep[:, 0], sweep[:, 1]
precision_at_half, recall_at_half = precision_recall(is_five, said_five)
accuracy_at_half = float(np.mean(said_five == is_five))
picked = [0.02, 0.1, 0.5, 0.9, 0.98]
sweep_table = [{"threshold": t, "precision": round(float(precisions[thresholds == t][0]), 4),
                "recall": round(float(recalls[thresholds == t][0]), 4),
                "said 'a 5'": int(np.sum(score >= t))} for t in picked]
recall_span = float(recalls.max() - recalls.min())
precision_span = float(precisions.max() - precisions.min())
for row in sweep_table:
    print(row)

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), num="precision_recall")
left.plot(thresholds, precisions, label="precision")
left.plot(thresholds, recalls, label="recall")
left.axvline(0.5, color="grey", ls=":")
left.set(title="Same weights, moving threshold", xlabel="threshold on P(5)", ylabel="value")
left.legend()
right.plot(recalls, precisions, ".-")
right.plot([recall_at_half], [precision_at_half], "o", color="red", label="threshold 0.5")
right.set(title="Precision-recall curve", xlabel="recall", ylabel="precision")
right.legend()
fig.tight_layout()
plt.show()

# %% threshold-chart
# The same sweep, interactive: a slider moves the threshold, the point on the curve and the
# four counts of the 2x2 table. Altair writes the chart as Vega-Lite, which Jupyter, Colab
# and the site draw in the browser; every number in it comes from the sweep above.
counts = [binary_counts(is_five, score >= t) for t in thresholds]
threshold_rows = [dict(threshold=float(t), precision=round(float(p), 4),
                       recall=round(float(r), 4), TP=c[0], FP=c[1], FN=c[2], TN=c[3])
                  for t, p, r, c in zip(thresholds, precisions, recalls, counts, strict=True)]
threshold = alt.param(name="threshold", value=0.5, bind=alt.binding_range(
    min=float(thresholds[0]), max=float(thresholds[-1]), step=0.02, name="Threshold on P(5) "))
at_threshold = "abs(datum.threshold - threshold) < 0.005"
sweep_data = alt.Chart(alt.InlineData(values=threshold_rows))
curve = sweep_data.mark_line().encode(
    x=alt.X("recall:Q", title="recall", scale=alt.Scale(zero=False)),
    y=alt.Y("precision:Q", title="precision", scale=alt.Scale(zero=False)))
marker = sweep_data.mark_point(size=140, filled=True, color="#d62728").encode(
    x="recall:Q", y="precision:Q",
    tooltip=["threshold:Q", "precision:Q", "recall:Q"]).transform_filter(at_threshold)
readout = sweep_data.mark_text(align="left", x=5, y=-8).encode(text="label:N").transform_filter(
    at_threshold).transform_calculate(label="'threshold ' + format(datum.threshold, '.2f') + "
                                     "': precision ' + format(datum.precision, '.1%') + "
                                     "', recall ' + format(datum.recall, '.1%')")
cells_2x2 = sweep_data.transform_filter(at_threshold).transform_fold(
    ["TP", "FN", "FP", "TN"], as_=["cell", "count"]).transform_calculate(
    actual="indexof(['TP', 'FN'], datum.cell) >= 0 ? 'a 5' : 'not a 5'",
    predicted="indexof(['TP', 'FP'], datum.cell) >= 0 ? 'a 5' : 'not a 5'",
    label="datum.cell + ' = ' + datum.count")
table_2x2 = cells_2x2.mark_rect(stroke="grey").encode(
    x=alt.X("predicted:N", title="predicted", sort=["a 5", "not a 5"], axis=alt.Axis(labelAngle=0)),
    y=alt.Y("actual:N", title="actual", sort=["a 5", "not a 5"]),
    color=alt.Color("count:Q", scale=alt.Scale(type="log", scheme="blues"),
                    legend=alt.Legend(title="test images (log)")))
table_labels = cells_2x2.mark_text(fontSize=13).encode(
    x=alt.X("predicted:N", sort=["a 5", "not a 5"]), y=alt.Y("actual:N", sort=["a 5", "not a 5"]),
    text="label:N", color=alt.condition("datum.count > 2000", alt.value("white"),
                                        alt.value("black")))
threshold_chart = alt.hconcat(
    (curve + marker + readout).properties(width=260, height=220,
                                          title="Precision-recall curve"),
    (table_2x2 + table_labels).properties(width=200, height=200, title="Test set, 2x2 counts"),
).add_params(threshold)
threshold_chart

# %% class-weight
# Can training itself move the balance? class_weight multiplies each example's loss by its
# class's weight. Weighting the 5s by how rare they are in the training data ("balanced")
# makes a missed 5 cost as much in all as the many non-5s. Same network, seed and epochs.
fit_is_five = (y_fit == 5).astype("float32")
five_weight = float((1 - fit_is_five.mean()) / fit_is_five.mean())
keras.utils.set_random_seed(SEED)
weighted = build_model(1, "sigmoid", "binary_crossentropy")
weighted.fit(x_fit, fit_is_five, epochs=3, batch_size=64, verbose=0,
             class_weight={0: 1.0, 1: five_weight})
weighted_score = weighted.predict(x_test, verbose=0)[:, 0]
weighted_precision, weighted_recall = precision_recall(is_five, weighted_score >= 0.5)
weighted_sweep = np.array([precision_recall(is_five, weighted_score >= t) for t in thresholds])
print(f"weight of a 5 in the loss: {five_weight:.2f} (a non-5: 1)")
print(f"threshold 0.5, plain loss:    precision {precision_at_half:.4f}, "
      f"recall {recall_at_half:.4f}")
print(f"threshold 0.5, weighted loss: precision {weighted_precision:.4f}, "
      f"recall {weighted_recall:.4f}")
# The plain network, at the threshold that finds as many 5s as the weighted one does at 0.5:
matched = int(np.argmin(np.abs(recalls - weighted_recall)))
matched_threshold = float(thresholds[matched])
matched_precision, matched_recall = float(precisions[matched]), float(recalls[matched])
print(f"plain loss at threshold {matched_threshold:.2f}: precision {matched_precision:.4f}, "
      f"recall {matched_recall:.4f}")

fig, ax = plt.subplots(figsize=(5.5, 3.6), num="class_weight")
ax.plot(recalls, precisions, ".-", ms=3, label="plain loss")
ax.plot(weighted_sweep[:, 1], weighted_sweep[:, 0], ".-", ms=3, label="5s weighted")
ax.plot([recall_at_half], [precision_at_half], "o", color="C0", mec="black",
        label="threshold 0.5, plain")
ax.plot([weighted_recall], [weighted_precision], "s", color="C1", mec="black",
        label="threshold 0.5, weighted")
ax.set(title="Precision-recall curves of the two trainings", xlabel="recall",
       ylabel="precision")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% accuracy-paradox
# A "model" that answers "not a 5" for every test image, without looking at it.
never_five = np.zeros_like(is_five)
never_accuracy = float(np.mean(never_five == is_five))
never_recall = float(np.sum(is_five & never_five) / np.sum(is_five))  # it finds no 5 at all
print(f"always 'not a 5':       accuracy {never_accuracy:.4f}, recall {never_recall:.4f}")
accuracy_gain = accuracy_at_half - never_accuracy
print(f"trained, threshold 0.5: accuracy {accuracy_at_half:.4f}, recall {recall_at_half:.4f},"
      f" precision {precision_at_half:.4f}")

# %% fraud-check
# The self-check: 98% accuracy and 12% recall on fraud. The missed frauds alone are
# (1 - recall) * prevalence of all cases, and all errors together are at most 1 - accuracy.
ACCURACY, RECALL = 0.98, 0.12
missed_share = 1 - RECALL
max_prevalence = (1 - ACCURACY) / missed_share
never_fraud_accuracy_at_max = 1 - max_prevalence  # "never fraud" is wrong exactly on frauds
never_fraud_prevalence = 1 - ACCURACY
print(f"'never fraud' scores {ACCURACY:.0%} accuracy at a prevalence of "
      f"{never_fraud_prevalence:.0%}")
print(f"{ACCURACY:.0%} accuracy with {RECALL:.0%} recall is only possible if fraud is at most "
      f"{max_prevalence:.2%} of cases")
print(f"at that prevalence 'never fraud' scores {never_fraud_accuracy_at_max:.2%}")

# The same situation built from MNIST: keep every non-5, and just enough 5s to make 2%.
rng = np.random.default_rng(SEED)
not_fives = np.flatnonzero(~is_five)
n_fives = round(len(not_fives) * 0.02 / 0.98)
rare = np.concatenate([not_fives, rng.choice(np.flatnonzero(is_five), n_fives, replace=False)])
rare_truth = is_five[rare]
rare_prevalence = float(rare_truth.mean())
rare_never_accuracy = float(np.mean(~rare_truth))
rare_model_accuracy = float(np.mean(said_five[rare] == rare_truth))
_, rare_model_recall = precision_recall(rare_truth, said_five[rare])
print(f"MNIST test set with {rare_prevalence:.2%} 5s ({n_fives} of {len(rare)} images):")
print(f"  always 'not a 5':       accuracy {rare_never_accuracy:.4f}, recall 0")
print(f"  trained, threshold 0.5: accuracy {rare_model_accuracy:.4f}, "
      f"recall {rare_model_recall:.4f}")

# %% roc
# The ROC curve: true-positive rate (recall) against false-positive rate (the share of non-5s
# flagged), one point per distinct score used as the threshold. Its area (AUC) is the chance
# that a random 5 scores above a random non-5. Drawn for the full test set and for the copy
# with 5s cut to 2%, beside the precision-recall curve of each.
def rates(truth, scores):
    """TP and FP counts at every distinct score taken as the threshold, highest first."""
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], truth[order]
    last = np.r_[np.flatnonzero(np.diff(ranked)), len(ranked) - 1]  # tied scores move together
    return np.r_[0, np.cumsum(hits)[last]], np.r_[0, np.cumsum(~hits)[last]]


def roc_and_pr(truth, scores):
    tps, fps = rates(truth, scores)
    tpr, fpr = tps / tps[-1], fps / fps[-1]
    precision = tps[1:] / (tps[1:] + fps[1:])
    auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))  # the trapezoid rule
    average_precision = float(np.sum(np.diff(tpr) * precision))  # area under the PR steps
    return dict(fpr=fpr, tpr=tpr, precision=precision, auc=auc, ap=average_precision)


full = roc_and_pr(is_five, score)
rare_set = roc_and_pr(rare_truth, score[rare])
full_auc, rare_auc, full_ap, rare_ap = full["auc"], rare_set["auc"], full["ap"], rare_set["ap"]
keras_auc = keras.metrics.AUC(num_thresholds=1000)
keras_auc.update_state(is_five, score)
keras_auc = float(keras_auc.result())
rare_precision, _ = precision_recall(rare_truth, said_five[rare])
print(f"ROC AUC, all test digits ({prevalence:.1%} 5s): {full['auc']:.4f}"
      f" (keras.metrics.AUC: {keras_auc:.4f})")
print(f"ROC AUC, 5s cut to {rare_prevalence:.1%}:       {rare_set['auc']:.4f}")
print(f"average precision (area under precision-recall): {full['ap']:.4f} -> {rare_set['ap']:.4f}")
print(f"precision at threshold 0.5: {precision_at_half:.4f} -> {rare_precision:.4f}")
roc_table = [
    {"test set": f"all digits ({prevalence:.1%} 5s)", "ROC AUC": round(full["auc"], 4),
     "average precision": round(full["ap"], 4), "precision at 0.5": round(precision_at_half, 4)},
    {"test set": f"5s cut to {rare_prevalence:.1%}", "ROC AUC": round(rare_set["auc"], 4),
     "average precision": round(rare_set["ap"], 4), "precision at 0.5": round(rare_precision, 4)},
]
auc_shift = abs(full["auc"] - rare_set["auc"])
# Precision at 0.5 from the two within-class rates: TPR * p / (TPR * p + FPR * (1 - p)) for a
# share p of 5s. It is one half where TPR * p = FPR * (1 - p):
tpr_half = recall_at_half
fpr_half = fp / (fp + tn)
half_false_prevalence = fpr_half / (tpr_half + fpr_half)
print(f"at 0.5 the detector finds {tpr_half:.1%} of 5s and flags {fpr_half:.2%} of non-5s; "
      f"half its alarms would be false once 5s are {half_false_prevalence:.2%} of the images")
ap_drop = full["ap"] - rare_set["ap"]

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), num="roc_vs_pr")
for curves, label in ((full, f"{prevalence:.1%} 5s"), (rare_set, f"{rare_prevalence:.1%} 5s")):
    left.plot(curves["fpr"], curves["tpr"], label=f"{label}: AUC {curves['auc']:.3f}")
    right.plot(curves["tpr"][1:], curves["precision"], label=f"{label}: AP {curves['ap']:.3f}")
left.plot([0, 1], [0, 1], ":", color="grey", label="chance")
left.set(title="ROC: barely moves", xlabel="false-positive rate", ylabel="true-positive rate")
right.set(title="Precision-recall: falls", xlabel="recall", ylabel="precision")
left.legend(fontsize=8)
right.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% claims
claims = [
    dict(source="002", claim="The confusion matrix is laid out with TP | FP in the first row and "
                           "FN | TN in the second, under Predicted Positive | Predicted Negative",
         measured=f"on 'is it a 5?' that layout gives column sums {source_column_sums}, but the "
                  f"model predicted 'a 5' {tp + fp} times and 'not a 5' {fn + tn} times",
         verdict="holds" if source_column_sums == true_column_sums else "wrong"),
    dict(source="002", claim="Training raises TP and TN and lowers FP and FN",
         measured=f"test errors went from {errors_before} "
                  f"(untrained) to {errors} after 10 epochs; the weights followed the "
                  f"cross-entropy, which only moves these counts indirectly",
         verdict="holds" if errors < errors_before else "wrong"),
    dict(source="002", claim="Training adjusts the weights to balance precision and recall",
         measured=f"with the trained weights fixed, moving the threshold from 0.02 to 0.98 "
                  f"moved recall over a span of {recall_span:.3f} and precision over "
                  f"{precision_span:.3f}; weighting the 5s {five_weight:.1f}x in the loss "
                  f"moved the 0.5 point from recall {recall_at_half:.3f} / precision "
                  f"{precision_at_half:.3f} to {weighted_recall:.3f} / {weighted_precision:.3f}",
         verdict="depends" if weighted_recall > recall_at_half
         and weighted_precision < precision_at_half
         else "wrong" if recall_span > 0.05 and precision_span > 0.05 else "holds"),
    dict(source="002", claim="Good results show a loss close to zero and accuracy, precision "
                           "and recall close to 1.0",
         measured=f"the digit classifier ends at training loss {h['loss'][-1]:.3f} but test "
                  f"loss {test_loss:.3f} (a uniform guess: {uniform_loss:.3f}); the 'is it a 5?' "
                  f"network scores accuracy {accuracy_at_half:.3f}, precision "
                  f"{precision_at_half:.3f}, recall {recall_at_half:.3f}, yet 'never a 5' "
                  f"also scores accuracy {never_accuracy:.3f}, with recall {never_recall:.0f}",
         verdict="depends" if never_accuracy > 0.9 or test_loss > 2 * h["loss"][-1]
         else "holds",
         also=["metrics_overfitting", "metrics_overtraining"]),  # near-zero training loss
    dict(source="002", claim="High accuracy can mislead when the classes are imbalanced",
         measured=f"'never a 5' on the real test set: accuracy {never_accuracy:.3f}, "
                  f"recall {never_recall:.0f}",
         verdict="holds" if never_accuracy > 0.9 and never_recall == 0 else "wrong"),
    dict(source="002", claim="98% accuracy with 12% recall on fraud is not good enough: "
                           "accuracy misleads because fraud is rare",
         measured=f"such a model can only exist if fraud is at most {max_prevalence:.2%} of "
                  f"cases, where 'never fraud' already scores {never_fraud_accuracy_at_max:.2%}; on "
                  f"MNIST with {rare_prevalence:.1%} 5s, 'never a 5' scores "
                  f"{rare_never_accuracy:.3f}",
         verdict="holds" if rare_never_accuracy >= 0.98 - 1e-3 else "wrong"),
]
for c in claims:
    print(f"[{c['verdict']}] {c['claim']}: {c['measured']}")
