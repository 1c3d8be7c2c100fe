"""Page hygiene: no measured number typed by hand, and runs that match the lock file."""

import re

import pytest

from rundocs.axes.tensorflow import versions
from rundocs.project import LOCK_FILE, ROOT
from rundocs.store.runner import examples

MEASURED = re.compile(r"\b\d+(?:\.\d+)?\s?%|(?<![\w.{])\d+\.\d+(?![\w.])")
# Numbers that are definitions, not measurements: settings the reader would type into code.
ALLOWED = [
    re.compile(r"learning rate (?:of )?\d+(?:\.\d+)?"),
    re.compile(r"decay rate (?:of )?\d+(?:\.\d+)?"),
    re.compile(r"\$\d+(?:\.\d+)?\\,\\eta_\{\\max\}\$"),  # a rate set as a multiple of the limit
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


HEDGES = re.compile(r"\b(?:expected to|in general|usually|typically|generally|any network|"
                    r"not measured|has not (?:run|measured)|have not (?:run|measured))\b", re.I)
VERDICT = re.compile(r"\bverdict\b[^.]*?\b(?:holds|wrong|depends)\b|"
                     r"\b(?:holds|wrong|depends)\b[^.]*?\bverdict\b", re.I)
CHECK = re.compile(r"^\s*\{\{\s*check:(?P<expression>.*)\}\}\s*$")
NOT_MEASURED_NOTE = re.compile(r'^\s*[!?]{3}\+?\s+\w+\s+"Not measured', re.I)


def paragraphs(text: str):
    """(line number, paragraph text, the check under it or None, inside a "Not measured" note)."""
    blocks, current, note, note_indent = [], [], False, None
    for number, line in prose_lines(text):
        indent = len(line) - len(line.lstrip())
        if line.strip() and note_indent is not None and indent <= note_indent:
            note, note_indent = False, None
        if line.lstrip().startswith(("!!!", "???")):
            note, note_indent = bool(NOT_MEASURED_NOTE.match(line)), indent
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append((current, note))
            current = []
    if current:
        blocks.append((current, note))
    for index, (lines, in_note) in enumerate(blocks):
        text_of = " ".join(line.strip() for _, line in lines)
        if CHECK.match(text_of):
            continue
        following = " ".join(l.strip() for l, _ in [(line, 0) for _, line in blocks[index + 1][0]]) \
            if index + 1 < len(blocks) else ""
        check = CHECK.match(following)
        yield lines[0][0], text_of, check and check["expression"], in_note


def pages():
    return sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_every_hedged_generalization_is_checked_or_marked_not_measured(page):
    """"Expected to", "usually", "not measured"...: under a check, or in a "Not measured" note."""
    loose = []
    for number, paragraph, check, in_note in paragraphs(page.read_text()):
        prose = NOT_PROSE.sub("", paragraph)
        for hedge in HEDGES.findall(prose):
            if not (check or in_note):
                loose.append(f"{page.name}:{number}: '{hedge}' in: {prose[:120]}")
    assert not loose, ("a generalization is a claim: run the case it names and put a "
                       "{{ check }} under it, or move it into a !!! note \"Not measured ...\" "
                       "box:\n" + "\n".join(loose))


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_a_sentence_stating_a_verdict_is_checked_against_the_ledger(page):
    unchecked = []
    for number, paragraph, check, _ in paragraphs(page.read_text()):
        prose = NOT_PROSE.sub("", paragraph)
        if VERDICT.search(prose) and not (check and "verdict" in check):
            unchecked.append(f"{page.name}:{number}: {prose[:120]}")
    assert not unchecked, ("a verdict stated in prose must sit under a check that reads the "
                           "claim's verdict (NAME.claims[i].verdict):\n" + "\n".join(unchecked))


def test_the_hedge_finder_sees_a_loose_hedge_and_accepts_a_checked_or_noted_one():
    text = ("A network is expected to do this.\n\n"
            "It usually does.\n\n{{ check: run.value > 1 }}\n\n"
            '!!! note "Not measured here"\n    Any network might, in general.\n\n'
            "The verdict here is \"holds\".\n")
    found = [(number, bool(HEDGES.search(p)), bool(check), note)
             for number, p, check, note in paragraphs(text)]
    assert found == [(1, True, False, False), (3, True, True, False), (7, True, False, True),
                     (10, False, False, False)]
    assert VERDICT.search('The verdict here is "holds".')


def locked() -> dict[str, str]:
    return versions.pins(LOCK_FILE)


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


@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_every_claim_names_only_other_existing_runs_that_bear_on_it(script, run_of):
    names = {s.stem for s in examples()}
    for claim in run_of(script.stem).values.get("claims", []):
        also = claim.get("also", [])
        assert isinstance(also, list) and set(also) <= names - {script.stem}, claim["claim"]


def test_the_ledger_lists_the_measuring_run_then_every_other_and_refuses_a_missing_one():
    from rundocs.errors import RunError
    from rundocs.pages.references.tables import claim_row

    row = claim_row({"claim": "c", "verdict": "holds", "also": ["mnist_seeds"]}, "[a](a.md)")
    assert "also" not in row
    assert row["runs"] == "[a](a.md), [mnist_seeds](examples/mnist_seeds.md)"
    with pytest.raises(RunError, match="examples/no_such_run.py"):
        claim_row({"claim": "c", "also": ["no_such_run"]}, "[a](a.md)")
