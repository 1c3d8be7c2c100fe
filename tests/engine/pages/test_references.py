"""What pages make of awkward runs (issue 34): long outputs, values that look like references,
a helper module named as an example, NaN and infinity. Each on a small made-up example."""

import html
import json
import math

import markdown
import pytest

from rundocs.errors import RunError
from rundocs.pages import checks, references
from rundocs.pages import markdown as extension
from rundocs.publish import notebook, outputs
from rundocs.store.results import Run, latest
from rundocs.store.runner import run_one


def render(text: str) -> str:
    """``text`` as the site renders it: folded blocks and fences inside them included."""
    return markdown.Markdown(extensions=[
        extension.RunsExtension(), "admonition", "attr_list", "tables", "pymdownx.details",
        "pymdownx.superfences", "pymdownx.blocks.caption"]).convert(text)


LONG = "# %% long\nfor i in range(100_000):\n    print(f'line {i}')\n"
WIDE = "# %% wide\nprint('x' * 999_999 + 'END')\n"


def whole_text(page: str, folder) -> str:
    """The text of the one published output file ``page`` links to."""
    (link,) = {part.split('"')[0] for part in page.split('href="')[1:] if ".txt" in part}
    return (folder / link.split("/")[-1]).read_text()


@pytest.mark.parametrize(("name", "script", "first", "last"), [
    ("long", LONG, "line 0\n", "line 99999"), ("wide", WIDE, "xxxxx", "xxxxEND")])
def test_a_long_output_is_shortened_and_links_its_whole_text(
        cli_sandbox, tmp_path, name, script, first, last):
    run_one(cli_sandbox(name, script))
    run = latest(name)
    with pytest.raises(RunError, match=f"whole output of examples/{name}.py is not published"):
        render(f"{{{{ output: {name} }}}}\n")
    outputs.publish(run)
    page = render(f"{{{{ output: {name} }}}}\n")
    assert len(page) < 2 * outputs.MAX_CHARS
    assert first in page and last in page  # its start and its end
    assert "characters left out here" in page
    assert "read the whole output as plain text" in page
    assert whole_text(page, tmp_path / "published" / "figures") == run.output()


def test_an_output_within_the_bound_is_shown_whole_with_no_link(cli_sandbox):
    lines = outputs.MAX_LINES
    run_one(cli_sandbox("fits", f"# %% a\nfor i in range({lines}):\n    print(i)\n"))
    assert not outputs.publish(latest("fits"))
    page = render("{{ output: fits }}\n")
    assert f"\n{lines - 1}\n" in page and "left out" not in page and ".txt" not in page


def test_the_notebook_view_shortens_a_long_cell_and_the_notebook_keeps_it_whole(
        cli_sandbox, tmp_path):
    run_one(cli_sandbox("long", LONG + "\n# %% short\nprint('done')\n"))
    names = notebook.publish(latest("long"))
    assert any(n.endswith(".txt") for n in names)
    page = render("{{ notebook: long }}\n")
    assert len(page) < 3 * outputs.MAX_CHARS and "done" in page
    assert 'href="figures/long-output-' in page  # a link from the view, beside it
    assert whole_text(page, tmp_path / "published" / "figures").count("\n") == 100_000
    downloaded = json.loads((tmp_path / "published" / "long.ipynb").read_text())
    assert "".join(downloaded["cells"][1]["outputs"][0]["text"]).count("\n") == 100_000


LOOKALIKE = """\
# %% a
text = "{{ other }} and {{ check: 1 > 2 }}"
markup = "*em* [link](javascript:alert(1)) a ` tick $x$ a|b \\\\ end {: .evil }"
rows = [{"said": text, "markup": markup}]
print(text)
print(markup)
"""


def test_a_value_that_looks_like_a_reference_or_markup_is_shown_as_printed(cli_sandbox):
    run_one(cli_sandbox("lookalike", LOOKALIKE))
    printed = latest("lookalike").values
    pages = {"inline": "It said {{ lookalike.text }}, then\n{{ lookalike.markup }}\n",
             "code span": "It said `{{ lookalike.text }}`, then ``{{ lookalike.markup }}``.\n",
             "output": "{{ output: lookalike }}\n",
             "table": "{{ table: lookalike.rows }}\n"}
    for kind, page in pages.items():
        shown = render(page)
        for value in printed["text"], printed["markup"]:
            assert value in html.unescape(shown), kind  # escaped once, not twice
        assert not any(tag in shown for tag in ("<em>", "<a ", "<math", "evil\"")), kind


def test_a_code_span_in_a_value_stays_code(sandbox):
    run_one(sandbox("coded", "# %% a\nclaim = 'call `fit(x)` on *all* <data>'\n"))
    assert render("It says {{ coded.claim }}.\n") == (
        "<p>It says call <code>fit(x)</code> on *all* &lt;data&gt;.</p>")


def test_an_unknown_reference_the_author_wrote_is_still_refused(cli_sandbox):
    run_one(cli_sandbox("lookalike", LOOKALIKE))
    with pytest.raises(RunError, match=r"unrecognised reference \{\{ other \}\}"):
        render("It said {{ lookalike.text }} and {{ other }}.\n")


def test_a_page_naming_a_helper_module_says_it_has_no_cells(cli_sandbox):
    cli_sandbox("helpers", "def double(x):\n    return 2 * x\n")
    with pytest.raises(RunError) as error:
        render("{{ output: helpers }}\n")
    message = str(error.value)
    assert "examples/helpers.py has no `# %%` cells" in message
    assert "add `# %%` markers" in message and "make build" not in message


@pytest.mark.parametrize(("check", "holds"), [
    ("isnan(run.nan) and not isfinite(run.nan) and not isinf(run.nan)", True),
    ("isinf(run.inf) and isinf(run.minus_inf) and run.minus_inf < 0", True),
    ("isfinite(run.one) and not isnan(run.one)", True),
    ("run.nan < 1 or run.nan >= 1 or run.nan == run.nan", False),  # IEEE: NaN compares false
    ("run.nan != run.nan", True),
    ("run.inf > 1e308", True),
])
def test_a_check_can_test_for_nan_and_infinity(check, holds):
    values = {"nan": math.nan, "inf": math.inf, "minus_inf": -math.inf, "one": 1.0}
    assert checks.evaluate(check, lambda name, path: values[path])[0] is holds


def test_the_check_functions_on_text_say_why_they_cannot():
    with pytest.raises(RunError, match="cannot be evaluated: must be real number, not str"):
        checks.evaluate("isnan(run.text)", lambda name, path: "nan")


STORED = '{"values": {"nan": NaN, "inf": Infinity, "minus_inf": -Infinity, ' \
         '"rows": [{"loss": NaN}]}, "cells": [], "figures": {}, "provenance": {}}'


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """A run whose result.json holds NaN and infinities as JSON floats, as every page sees it."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "result.json").write_text(STORED)
    monkeypatch.setattr(references, "latest", lambda name: Run(name, folder))


def test_nan_and_infinity_render_as_numbers_do(stored):
    page = render("{{ run.nan:.3f }}, {{ run.nan }}, {{ run.inf:.1% }}, {{ run.minus_inf }}\n\n"
                  "{{ table: run.rows }}\n")
    assert page.startswith("<p>nan, nan, inf%, -inf</p>") and "<td>nan</td>" in page


def test_a_failing_check_on_nan_says_what_nan_does(stored):
    with pytest.raises(RunError) as error:
        render("The loss went down.\n{{ check: run.nan < 1 }}\n")
    assert "run.nan = nan (not a number: every comparison with it is false; isnan() tests " \
           "for it)" in str(error.value)
