"""A check is as strong as its sentence: make the sentence false, and its check must fail.

For each sentence a reader remembers, this takes the ``{{ check: ... }}`` written under it on
its page, evaluates it on the build's runs (it holds), then again with the run values it reads
changed the least that makes the sentence false: the check must then fail. A check that passes
both ways guards nothing.
"""

from dataclasses import dataclass, field

import pytest

from rundocs.commands.matrix import page_checks
from rundocs.pages import checks
from rundocs.store.results import latest


@dataclass
class Sentence:
    page: str
    says: str  # the sentence, in short
    marker: str  # text that picks its check out of the page's checks
    # how to make it false: run value read by the check -> its new value, from a reader of
    # (real) run values
    falsify: dict = field(default_factory=dict)


def real(reference: str):
    name, _, path = reference.partition(".")
    return latest(name).value(path)


SENTENCES = [
    Sentence("concept.md", "each step moves w less than the one before, as the slope flattens",
             "concept_descent.w_moves[0] >",
             {"concept_descent.w_moves[2]": lambda: real("concept_descent.w_moves[1]") * 1.1}),
    Sentence("experiment.md", "after five epochs the test accuracy is far above the untrained one",
             "mnist_experiment.test_accuracy > mnist_experiment.test_accuracy_before + 0.5",
             {"mnist_experiment.test_accuracy":
              lambda: real("mnist_experiment.test_accuracy_before") + 0.3}),
    Sentence("experiment.md", "the weights of pixels blank in every image never move",
             "mnist_experiment.unchanged_rows == mnist_experiment.blank_pixels }}",
             {"mnist_experiment.unchanged_rows":
              lambda: real("mnist_experiment.blank_pixels") - 1}),
    Sentence("myths.md", "seeds change the accuracy by far less than the model learned",
             "myths_seeds.accuracy_min < 0.1 * (myths_seeds.accuracy_min - 0.1)",
             {"myths_seeds.accuracy_max": lambda: real("myths_seeds.accuracy_min") + 0.2}),
    Sentence("myths.md", "Keras' default start beats zeros, a constant and large weights",
             "myths_init.results.default.test_accuracy > 0.2 +",
             {"myths_init.results.zeros.test_accuracy":
              lambda: real("myths_init.results.default.test_accuracy") - 0.1}),
    Sentence("myths.md", "a batch's gradient is a noisy estimate of the full one",
             "myths_batches.spread > 0.25", {"myths_batches.spread": lambda: 0.05}),
    Sentence("metrics.md", "a training loss near zero is no sign of a better model",
             "metrics_overtraining.val_accuracy_band < 0.02",
             {"metrics_overtraining.test_loss_at_end":
              lambda: real("metrics_overtraining.test_loss_at_10") * 0.95}),
    Sentence("metrics.md", "the do-nothing model finds no 5 at all yet scores high accuracy",
             "metrics_classifier.never_recall == 0",
             {"metrics_classifier.never_recall": lambda: 0.3}),
    Sentence("optimizers.md", "on the line Adam is usually the slower of the two",
             "{{ check: optimizers_linear.adam_slower_share > 2 / 3 }}",
             {"optimizers_linear.adam_slower_share": lambda: 0.5}),
    Sentence("optimizers.md", "a smaller batch's gradient strays further from the full one",
             'optimizers_sin.spread["8"] > 1.5',
             {"optimizers_sin.spread.32": lambda: real("optimizers_sin.spread.8") * 0.9}),
    Sentence("optimizers.md", "Adam is not more stable than SGD on sin(x)",
             "{{ check: optimizers_sin.epoch_change.adam > 1.3",
             {"optimizers_sin.epoch_change.adam": lambda: real("optimizers_sin.epoch_change.sgd")}),
    Sentence("practice.md", 'the first loss is rarely "close to 1.0"',
             "len(practice_answers.mcq3_supported) == 0",
             {"practice_answers.share_close": lambda: 0.45}),
    Sentence("mnist-further.md", "dividing the start by 255 trains about as badly as raw pixels",
             "mnist_scaling.rescaled_start_ratio",
             {"mnist_scaling.test_accuracy.rescaled":
              lambda: real("mnist_scaling.test_accuracy.raw") + 0.021}),
    Sentence("pitfalls.md", "with a rate of 0.01 the loss falls to its lowest at the end",
             "pitfalls_learning_rate.big_losses[2] /",
             {"pitfalls_learning_rate.small_losses[-1]":
              lambda: real("pitfalls_learning_rate.small_losses[0]")}),
    Sentence("babysitting.md", "gradient noise falls as one over the batch size",
             "abs(optimizers_babysitting.slope + 1) < 0.1",
             {"optimizers_babysitting.slope": lambda: -0.5}),
    Sentence("step-size.md", "every rate below the threshold converges, every one above diverges",
             "concept_lr.all_below_converge", {"concept_lr.all_below_converge": lambda: False}),
    Sentence("momentum.md", "momentum, RMSprop and Adam end far below plain descent",
             "optimizers_quadratic.plain_diverges_above_limit and",
             {"optimizers_quadratic.best_loss.momentum":
              lambda: real("optimizers_quadratic.best_loss.plain")}),
    Sentence("overfitting.md", "training accuracy reaches 100 % while validation loss rises",
             "metrics_overfitting.history.accuracy[19] == 1",
             {"metrics_overfitting.final_val_loss":
              lambda: real("metrics_overfitting.best_val_loss")}),
]


def check_under(sentence: Sentence) -> str:
    """The one check of the page whose `{{ check: ... }}` contains ``sentence.marker``."""
    found = [expression for where, expression in page_checks()
             if where.partition(":")[0] == sentence.page
             and sentence.marker in f"{{{{ check: {expression} }}}}"]
    assert len(found) == 1, f"{sentence.page}: {len(found)} checks contain {sentence.marker!r}"
    return found[0]


def holds(expression: str, changed: dict) -> tuple[bool, set]:
    """Whether ``expression`` holds with the run values in ``changed`` replaced, and the
    references it read."""

    def value_of(name, path):
        reference = f"{name}.{path}"
        return changed[reference]() if reference in changed else real(reference)

    result, read = checks.evaluate(expression, value_of)
    return result, set(read)


@pytest.mark.parametrize("sentence", SENTENCES, ids=lambda s: f"{s.page}: {s.says}")
def test_the_check_fails_when_its_sentence_is_made_false(sentence):
    expression = check_under(sentence)
    assert holds(expression, {})[0], "the check must hold on the build's runs"
    result, read = holds(expression, sentence.falsify)
    assert set(sentence.falsify) <= read, "the change must touch a value the check reads"
    assert not result, f"made false, {sentence.says!r} still passes its check: {expression}"


def test_at_least_fifteen_key_sentences_are_guarded():
    assert len({(s.page, s.marker) for s in SENTENCES}) >= 15
