"""Formulas are typeset at build time as MathML, and what cannot be read stops the build."""

import xml.etree.ElementTree as ET

import markdown
import pytest

from rundocs.errors import RunError
from rundocs.pages.formulas import mathml


def page(text: str) -> str:
    return markdown.Markdown(extensions=["rundocs.pages.formulas"]).convert(text)


def test_a_step_reads_as_mathematics():
    tree = ET.fromstring(mathml(r"w \gets w - \eta \frac{\partial L}{\partial w}"))
    assert tree.tag == "math" and tree.get("display") == "inline"
    assert [e.text for e in tree.iter("mi")] == ["w", "w", "\u03b7", "L", "w"]
    assert [e.text for e in tree.iter("mo")] == ["\u2190", "\u2212", "\u2202", "\u2202"]
    assert len(list(tree.iter("mfrac"))) == 1


def test_scripts_attach_to_the_atom_before_them():
    tree = ET.fromstring(mathml(r"\lambda_{\max} x_i^2"))
    assert [e.tag for e in tree[0]] == ["msub", "msubsup"]
    assert tree.find(".//msub/mrow/mi").text == "max"  # upright, as a named operator
    assert [e.text for e in tree.find(".//msubsup")] == ["x", "i", "2"]


def test_dollars_in_code_and_prices_stay_text():
    html = page("It costs $5 and $6, and `$x$` is code; $\\kappa$ is not.")
    assert "$5 and $6" in html and "<code>$x$</code>" in html
    assert html.count("<math") == 1 and "\u03ba" in html


def test_a_display_formula_is_a_block_of_its_own():
    html = page("Before.\n\n$$\\eta < \\frac{2}{\\lambda_{\\max}}$$\n\nAfter.")
    assert '<div class="rundocs-formula"><math display="block">' in html
    assert "$$" not in html


@pytest.mark.parametrize("tex", [r"\unknown x", r"\frac{1}", r"^2", r"x \# y", r"{x"])
def test_what_cannot_be_read_stops_the_build_naming_the_formula(tex):
    with pytest.raises(RunError, match="formula"):
        mathml(tex)


def test_a_run_value_in_a_formula_is_text_not_markup():
    tree = ET.fromstring(mathml(r"\eta = 0.5"))
    assert [e.text for e in tree.iter("mn")] == ["0.5"]
    assert "<script" not in mathml("<script>") and "&lt;" in mathml("<script>")


def test_text_keeps_its_words_as_written():
    tree = ET.fromstring(mathml(r"n_{\text{in}} + \text{the rate}"))
    assert [e.text for e in tree.iter("mtext")] == ["in", "the rate"]
