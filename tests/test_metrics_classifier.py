"""What the metrics page claims about the digit classifier and the "is it a 5?" detector."""

import itertools
import math

import pytest

from rundocs.publish import charts


@pytest.fixture(scope="module")
def run(run_of):
    return run_of("metrics_classifier")


def test_untrained_network_is_at_chance_and_near_the_uniform_loss(run):
    assert 0.05 < run.value("accuracy_before") < 0.15
    assert run.value("uniform_loss") == pytest.approx(math.log(10))
    assert abs(run.value("loss_before") - run.value("uniform_loss")) < 0.3


def test_loss_falls_and_accuracy_rises_over_the_epochs(run):
    """The lesson, with the tolerance a CPU's rounding needs: the training loss falls every
    epoch, validation never gets worse by more than noise (two epochs can tie: on an AVX2 EPYC
    the validation accuracy did, at 94.58 %), and both end far better than they started."""
    h = run.value("history")
    assert all(later < earlier for earlier, later in zip(h["loss"], h["loss"][1:]))
    assert all(later < 1.01 * earlier for earlier, later in zip(h["val_loss"], h["val_loss"][1:]))
    assert all(later > earlier - 0.002
               for earlier, later in zip(h["val_accuracy"], h["val_accuracy"][1:]))
    assert h["val_accuracy"][-1] > h["val_accuracy"][0] + 0.02
    assert run.value("history.loss[-1]") < run.value("history.loss[0]") / 5


def test_confusion_matrix_is_true_rows_by_predicted_columns(run):
    matrix = run.value("matrix")
    assert len(matrix) == 10 and all(len(row) == 10 for row in matrix)
    assert sum(map(sum, matrix)) == 10_000
    # Row sums are the test set's digit counts, whatever the model says.
    assert [sum(row) for row in matrix] == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert run.value("correct") == sum(matrix[i][i] for i in range(10))
    assert run.value("correct") + run.value("errors") == 10_000
    assert run.value("test_accuracy") == pytest.approx(run.value("correct") / 10_000, abs=1e-4)
    worst = run.value("worst_confusion")
    assert matrix[worst["true"]][worst["predicted"]] == worst["count"]
    assert worst["true"] != worst["predicted"]


def test_training_reduced_the_number_of_wrong_answers(run):
    assert run.value("errors") < run.value("errors_before") / 5


def test_the_sources_two_by_two_layout_gives_the_wrong_column_sums(run):
    tn_fp, fn_tp = run.value("two_by_two")
    tp, fp, fn, tn = run.value("tp"), run.value("fp"), run.value("fn"), run.value("tn")
    assert [tn_fp, fn_tp] == [[tn, fp], [fn, tp]]  # tf.math.confusion_matrix: rows = truth
    assert run.value("true_column_sums") == [tp + fp, fn + tn]
    assert run.value("source_column_sums") == [tp + fn, fp + tn] == [892, 9108]
    assert run.value("source_column_sums") != run.value("true_column_sums")


def test_threshold_trades_precision_for_recall_with_fixed_weights(run):
    precisions, recalls = run.value("precisions"), run.value("recalls")
    assert all(b <= a for a, b in itertools.pairwise(recalls))  # recall never rises
    table = run.value("sweep_table")
    assert table[0]["recall"] > 0.9 and table[0]["precision"] < 0.7
    assert table[-1]["precision"] > 0.99 and table[-1]["recall"] < 0.4
    assert run.value("recall_span") > 0.5 and run.value("precision_span") > 0.3
    assert precisions[-1] > precisions[0]


def test_weighting_the_5s_in_the_loss_trades_precision_for_recall(run):
    assert run.value("five_weight") == pytest.approx(10, rel=0.1)  # about 1 in 11 is a 5
    assert run.value("weighted_recall") > run.value("recall_at_half") + 0.03
    assert run.value("weighted_precision") < run.value("precision_at_half")
    # the plain network at a lower threshold lands near the weighted one: the same trade-off
    assert abs(run.value("matched_precision") - run.value("weighted_precision")) < 0.1
    verdicts = {c["claim"]: c["verdict"] for c in run.value("claims")}
    assert verdicts["Training adjusts the weights to balance precision and recall"] == "depends"


def test_the_threshold_chart_at_half_shows_the_2x2_table_the_page_prints(run):
    spec = charts.load(run, "threshold_chart")
    table = charts.table_with(spec, "TP")
    assert [row["threshold"] for row in table] == run.value("thresholds")
    at_half = next(row for row in table if row["threshold"] == 0.5)
    assert (at_half["TP"], at_half["FP"], at_half["FN"], at_half["TN"]) == (
        run.value("tp"), run.value("fp"), run.value("fn"), run.value("tn"))
    assert at_half["recall"] == pytest.approx(run.value("recall_at_half"), abs=1e-4)
    slider = spec["params"][0]
    assert slider["value"] == 0.5 and slider["bind"]["input"] == "range"


def test_the_threshold_chart_colour_scale_has_a_legend(run):
    spec = charts.load(run, "threshold_chart")
    colours = [layer["encoding"]["color"] for panel in spec["hconcat"]
               for layer in panel.get("layer", [panel])
               if layer.get("encoding", {}).get("color", {}).get("field") == "count"]
    assert len(colours) == 1
    assert colours[0].get("legend") is not None and colours[0]["legend"]["title"]


def test_detector_at_half_is_good_but_not_perfect(run):
    assert run.value("accuracy_at_half") > 0.97
    assert 0.95 < run.value("precision_at_half") < 1
    assert 0.7 < run.value("recall_at_half") < 0.9


def test_accuracy_paradox_on_the_real_test_set(run):
    assert run.value("prevalence") == pytest.approx(892 / 10_000)
    assert run.value("never_accuracy") == pytest.approx(1 - 892 / 10_000)
    assert run.value("never_recall") == 0
    assert 0 < run.value("accuracy_gain") < 0.1


def test_fraud_self_check_arithmetic_and_mnist_version(run):
    assert run.value("max_prevalence") == pytest.approx(0.02 / 0.88)
    assert run.value("never_fraud_accuracy_at_max") == pytest.approx(1 - 0.02 / 0.88)
    assert run.value("rare_prevalence") == pytest.approx(0.02, abs=5e-4)
    assert run.value("rare_never_accuracy") == pytest.approx(0.98, abs=5e-4)
    assert run.value("rare_model_accuracy") > run.value("rare_never_accuracy")
    assert run.value("rare_model_recall") > 0.7



def test_the_run_raised_no_warnings(run):
    assert run.data["warnings"] == []


def test_the_page_draws_its_figures(run):
    assert set(run.data["figures"]) == {"loss_and_accuracy", "confusion_matrix",
                                        "precision_recall", "class_weight", "roc_vs_pr"}


def test_roc_auc_ignores_rarity_and_precision_does_not(run):
    full, rare = run.value("roc_table")
    assert 0.9 < full["ROC AUC"] <= 1 and 0.9 < rare["ROC AUC"] <= 1
    assert abs(full["ROC AUC"] - rare["ROC AUC"]) < 0.02
    assert rare["average precision"] < full["average precision"] - 0.03
    assert rare["precision at 0.5"] < full["precision at 0.5"] - 0.05


def test_the_exact_auc_agrees_with_keras(run):
    assert run.value("keras_auc") == pytest.approx(run.value("full_auc"), abs=0.005)
    assert run.value("roc_table")[0]["ROC AUC"] == pytest.approx(run.value("full_auc"), abs=1e-4)


def test_half_the_alarms_are_false_at_the_prevalence_the_rates_give(run):
    tpr, fpr, p = (run.value(k) for k in ("tpr_half", "fpr_half", "half_false_prevalence"))
    assert tpr * p / (tpr * p + fpr * (1 - p)) == pytest.approx(0.5)
    assert p < run.value("rare_prevalence")
