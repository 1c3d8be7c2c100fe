"""Generated input for the two parsers an author feeds by hand (issue 22): whatever a page's
check or an example's text holds, the engine answers with its own error or a result, never
with a traceback of its internals."""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rundocs.errors import RunError
from rundocs.pages import checks
from rundocs.run import cells
from rundocs.store.results import Run

# The same generated cases on every machine (a CI that fails must fail again), and no example
# database written into the project.
SETTINGS = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

VALUES = {"loss": 0.25, "steps": 3, "name": "<b>adam</b>", "flags": [True, False],
          "curve": [1.0, 0.5, float("nan"), float("inf")], "big": 10**30,
          "nested": {"a": {"b": [1, 2, {"c": "x"}]}}, "empty": [], "none": None}


def value_of(name: str, path: str):
    """The value a page would read, through the same lookup pages use."""
    if name != "run":
        raise RunError(f"there is no example examples/{name}.py")
    run = Run(name, Path("unused"))
    run.__dict__["data"] = {"values": VALUES}
    return run.value(path)


ATOMS = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False).map(repr),
    st.text(max_size=8).map(repr), st.sampled_from(["True", "False", "None", "[]", "()"]),
    st.sampled_from([f"run.{k}" for k in VALUES] + [
        "run.curve[0]", "run.curve[-1]", "run.curve[99]", "run.nested.a.b[2].c",
        "run.nested['a']", "run@avx2.loss", "run.missing", "other.loss", "run.name[0]",
        "run.big", "'a@b'", "\"x@y.z\"", "run.flags[True]", "run..loss", "run.loss.x"]),
)
BINARY = ["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", " in ", " not in ",
          " and ", " or ", "**", "//", "%", "@", "|", "&"]
FUNCTIONS = [*checks.FUNCTIONS, "eval", "open", "__import__", "getattr", "print"]


def combine(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
        children.map(lambda e: f"({e})"),
        children.map(lambda e: f"not {e}"),
        children.map(lambda e: f"-{e}"),
        st.lists(children, max_size=3).map(lambda es: f"[{', '.join(es)}]"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        children.map(lambda e: f"{e}.real"),
        children.map(lambda e: f"lambda: {e}"),
        st.tuples(children, children, children).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
    )


EXPRESSIONS = st.recursive(ATOMS, combine, max_leaves=12)


def answers_clearly(expression: str) -> None:
    try:
        holds, read = checks.evaluate(expression, value_of)
    except RunError as error:
        assert str(error)
        return
    assert isinstance(holds, bool) and isinstance(read, dict)


@SETTINGS
@given(EXPRESSIONS)
def test_a_generated_check_holds_fails_or_says_why(expression):
    answers_clearly(expression)


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_as_a_check_holds_fails_or_says_why(text):
    answers_clearly(text)


@SETTINGS
@given(st.integers(1, 60), st.sampled_from(["(", "[", "-", "not ", "abs("]))
def test_deep_or_long_checks_are_refused_with_the_engine_s_error(count, opener):
    closer = {"(": ")", "[": "]", "abs(": ")"}.get(opener, "")
    answers_clearly(opener * count * 30 + "1" + closer * count * 30)


LINE = st.one_of(
    st.sampled_from(["# %%", "# %% train", "# %% [markdown]", "# %% [markdown] intro",
                     "# %%  bad id", "#%%", "# %% 1st", "", "   ", "\t", "# comment",
                     "#", "# text", "#  indented", "x = 1", "    y = 2", "print('# %% not a marker')", "\x0c",
                     "# rundocs: timeout=" + "9" * 5000, "# rundocs: memory=" + "9" * 5000,
                     "# rundocs: backends=avx2,sse41", "# rundocs: timeout=5"]),
    st.text(max_size=30),
)
SCRIPTS = st.lists(LINE, max_size=30).map("\n".join)


@SETTINGS
@given(st.one_of(SCRIPTS, st.text(max_size=300)))
def test_any_script_splits_into_cells_at_their_own_lines(text):
    lines = text.splitlines()
    split = cells.split(text)
    for cell in split:
        assert cell.kind in {"code", "markdown"}
        assert cell.source.strip()
        first = lines[cell.first_line - 1]
        if cell.kind == "code":  # the child compiles a cell at first_line: it must be that line
            assert first == cell.source.splitlines()[0]
            assert "\n".join(lines[cell.first_line - 1:]).startswith(cell.source)
        else:  # a text cell starts at its first line that is not an empty comment
            assert cell.source.splitlines()[0] == re.sub(r"^# ?", "", first)
    firsts = [cell.first_line for cell in split]
    assert firsts == sorted(set(firsts))
    assert isinstance(cells.timeout(text, 600), int)
    assert cells.memory(text) is None or isinstance(cells.memory(text), int)
    assert isinstance(cells.backends(text), list)
