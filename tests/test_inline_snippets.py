"""The short Python blocks typed into pages are linted and run (pytest-examples).

A block whose fence says ``raises="ErrorType"`` is meant to fail: it runs, and the test asserts
that it raises that error (pytest-examples lower-cases fence settings, so the name is compared
without case). ``#>`` comments under a ``print`` are checked against what
it prints.
"""

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from rundocs.project import ROOT

SNIPPETS = [e for e in find_examples(str(ROOT / "docs")) if e.prefix.split()[0] in ("py", "python")]


@pytest.mark.parametrize("example", SNIPPETS, ids=str)
def test_snippet(example: CodeExample, eval_example: EvalExample):
    eval_example.set_config(ruff_ignore=["E402"], line_length=100)
    eval_example.lint_ruff(example)
    expected = example.prefix_settings().get("raises")
    if expected is None:
        eval_example.run_print_check(example)
        return
    with pytest.raises(BaseException) as error:
        eval_example.run(example)
    raised = [cls.__name__.lower() for cls in type(error.value).__mro__]
    assert expected.lower() in raised, f"expected {expected}, got {error.value!r}"


def test_there_are_snippets_to_check():
    assert SNIPPETS, "no inline Python blocks found in docs/: is the pattern right?"
