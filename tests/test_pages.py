"""Page hygiene: no measured number typed by hand, and runs that match the lock file."""

import re

import pytest

from rundocs import LOCK_FILE, ROOT
from rundocs.runner import examples

MEASURED = re.compile(r"\b\d+(?:\.\d+)?\s?%|(?<![\w.{])\d+\.\d+(?![\w.])")
# Numbers that are definitions, not measurements: settings the reader would type into code.
ALLOWED = [
    re.compile(r"learning rate (?:of )?\d+(?:\.\d+)?"),
    re.compile(r"decay rate (?:of )?\d+(?:\.\d+)?"),
]
NOT_PROSE = re.compile(r"\{\{.*?\}\}|`[^`]*`|\]\([^)]*\)|<[^>]+>")


def prose_lines(text: str):
    """(line number, line) for every line outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            yield number, line


@pytest.mark.parametrize("page", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: p.name)
def test_no_measured_number_is_typed_into_prose(page):
    typed = []
    for number, line in prose_lines(page.read_text()):
        prose = NOT_PROSE.sub("", line)
        for pattern in ALLOWED:
            prose = pattern.sub("", prose)
        typed += [f"{page.name}:{number}: {hit}" for hit in MEASURED.findall(prose) if hit]
    assert not typed, "quote these from a run with {{ NAME.value:FORMAT }}:\n" + "\n".join(typed)


def test_the_lint_catches_a_typed_accuracy():
    line = "Accuracy rose to 97.3% and the loss to 0.09, after {{ run.value:.1% }}."
    assert MEASURED.findall(NOT_PROSE.sub("", line)) == ["97.3%", "0.09"]


def locked() -> dict[str, str]:
    return dict(re.findall(r"^([\w-]+)==([^\s;\\]+)", LOCK_FILE.read_text(), re.MULTILINE))


@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_runs_used_the_locked_versions(script, run_of):
    versions, pins = run_of(script.stem).data["provenance"], locked()
    for module, package in (("tensorflow", "tensorflow-cpu"), ("keras", "keras"),
                            ("numpy", "numpy"), ("matplotlib", "matplotlib")):
        if module in versions:
            assert versions[module] == pins[package], f"{module} {versions[module]} is not locked"


def test_every_example_appears_on_a_page():
    pages = "".join(p.read_text() for p in (ROOT / "docs").rglob("*.md"))
    unused = [s.stem for s in examples() if not re.search(rf"\b{s.stem}\b", pages)]
    assert not unused, f"examples no page refers to: {unused}"


@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_every_example_seeds_everything_and_asks_for_deterministic_ops(script, run_of):
    source = script.read_text()
    assert "keras.utils.set_random_seed(SEED)" in source
    assert "tf.config.experimental.enable_op_determinism()" in source
    assert run_of(script.stem).data["provenance"]["seed"] is not None
