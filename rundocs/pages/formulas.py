"""Formulas in pages, typeset at build time as MathML: ``$...$`` in a line, ``$$...$$`` alone.

Browsers draw MathML themselves (Chromium since 109, Firefox, Safari), so a formula costs no
script, no web font and no request, under MkDocs and Zensical alike, and a screen reader reads
it as mathematics. The pages need only a small part of LaTeX: letters, numbers, operators,
Greek letters and a few symbols, ``^`` and ``_``, ``{...}`` groups, ``\\frac``, ``\\sqrt``,
``\\text`` and named operators (``\\max``, ``\\log``). Anything else stops the build with a
message naming the formula, rather than showing raw TeX.

(A converter from PyPI would have to enter ``requirements.lock``, and every run's key hashes
that whole lock: a page-only tool would invalidate every run and the TensorFlow-release record.)
"""

import html
import re
import xml.etree.ElementTree as ET

from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from rundocs.errors import RunError

SYMBOLS = {  # \name -> (MathML element, character)
    **{name: ("mi", chr(code)) for name, code in (
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4),
        ("epsilon", 0x3B5), ("varepsilon", 0x3B5), ("eta", 0x3B7), ("theta", 0x3B8),
        ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("pi", 0x3C0), ("rho", 0x3C1),
        ("sigma", 0x3C3), ("tau", 0x3C4), ("phi", 0x3C6), ("omega", 0x3C9),
        ("Delta", 0x394), ("Sigma", 0x3A3), ("ell", 0x2113), ("infty", 0x221E))},
    "nabla": ("mo", "\u2207"), "partial": ("mo", "\u2202"), "top": ("mi", "\u22A4"),
    "leftarrow": ("mo", "\u2190"), "gets": ("mo", "\u2190"), "to": ("mo", "\u2192"),
    "rightarrow": ("mo", "\u2192"), "cdot": ("mo", "\u22C5"), "times": ("mo", "\u00D7"),
    "le": ("mo", "\u2264"), "leq": ("mo", "\u2264"), "ge": ("mo", "\u2265"),
    "geq": ("mo", "\u2265"), "approx": ("mo", "\u2248"), "neq": ("mo", "\u2260"),
    "ll": ("mo", "\u226A"), "gg": ("mo", "\u226B"), "pm": ("mo", "\u00B1"),
    "in": ("mo", "\u2208"), "sum": ("mo", "\u2211"), "ldots": ("mo", "\u2026"),
    "lVert": ("mo", "\u2016"), "rVert": ("mo", "\u2016"), "mid": ("mo", "\u2223"),
}
OPERATORS = {"max", "min", "log", "exp", "mean", "sign", "argmin"}  # upright names
SPACES = {",": "0.17em", ";": "0.28em", "quad": "1em", "qquad": "2em", " ": "0.25em"}
TOKEN = re.compile(r"\s*(?:(?P<command>\\(?:[A-Za-z]+|[,; ]))|(?P<number>\d+(?:\.\d+)?)"
                   r"|(?P<letter>[A-Za-z])|(?P<char>[-+=<>()\[\],./|!':*{}^_]))")


def error(tex: str, what: str) -> RunError:
    return RunError(f"formula ${tex}$: {what} (formulas use a small part of LaTeX: "
                    "see rundocs/pages/formulas.py)")


def tokens(tex: str) -> tuple[list[tuple[str, str]], list[int]]:
    """``tex`` read into (kind, text) tokens, and where each ends in ``tex``."""
    found, ends, position = [], [], 0
    while position < len(tex):
        match = TOKEN.match(tex, position)
        if not match or match.end() == position:
            if tex[position:].strip():
                raise error(tex, f"cannot read {tex[position:]!r}")
            break
        kind = match.lastgroup
        found.append((kind, match[kind]))
        ends.append(match.end())
        position = match.end()
    return found, ends


class Formula:
    """One formula's tokens, read left to right into MathML elements."""

    def __init__(self, tex: str):
        self.tex, self.at = tex, 0
        self.tokens, self.ends = tokens(tex)  # ends: where each token ends in ``tex``

    def error(self, what: str) -> RunError:
        return error(self.tex, what)

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.error("it ends too early")
        self.at += 1
        return token

    def row(self, until: str | None = None) -> ET.Element:
        """Elements up to ``until`` (a closing brace) or the end, as one ``mrow``."""
        row = ET.Element("mrow")
        while (token := self.peek()) is not None and token != ("char", until):
            if token[1] in "^_" and token[0] == "char":
                self.take()
                if not len(row):
                    raise self.error(f"{token[1]} has nothing to attach to")
                row.append(self.script(row[-1], token[1]))
                row.remove(row[-2])
            else:
                row.append(self.atom())
        if until is not None:
            self.take()
        return row

    def script(self, base: ET.Element, mark: str) -> ET.Element:
        """``base`` with a sub- or superscript (or both, in either order)."""
        first = self.atom()
        other = "_" if mark == "^" else "^"
        if self.peek() == ("char", other):
            self.take()
            second = self.atom()
            sub, sup = (first, second) if mark == "_" else (second, first)
            element = ET.Element("msubsup")
            element.extend([base, sub, sup])
            return element
        element = ET.Element("msub" if mark == "_" else "msup")
        element.extend([base, first])
        return element

    def atom(self) -> ET.Element:
        kind, text = self.take()
        if kind == "char" and text == "{":
            return self.row("}")
        if kind == "command":
            return self.command(text[1:])
        if kind == "number":
            return leaf("mn", text)
        if kind == "letter":
            return leaf("mi", text)
        if text in "}^_":
            raise self.error(f"unexpected {text}")
        return leaf("mo", "\u2212" if text == "-" else text)

    def command(self, name: str) -> ET.Element:
        if name in SYMBOLS:
            tag, character = SYMBOLS[name]
            return leaf(tag, character)
        if name in OPERATORS:
            return leaf("mi", name)
        if name in SPACES:
            element = ET.Element("mspace")
            element.set("width", SPACES[name])
            return element
        if name in ("frac", "sqrt"):
            element = ET.Element("mfrac" if name == "frac" else "msqrt")
            element.append(self.group())
            if name == "frac":
                element.append(self.group())
            return element
        if name in ("text", "mathrm"):
            return leaf("mtext" if name == "text" else "mi", self.raw_group())
        raise self.error(f"unknown command \\{name}")

    def group(self) -> ET.Element:
        if self.take() != ("char", "{"):
            raise self.error("a \\frac or \\sqrt needs {braces}")
        return self.row("}")

    def raw_group(self) -> str:
        """The text of a ``{...}`` group as it was written (for ``\\text``)."""
        if self.take() != ("char", "{"):
            raise self.error("\\text needs {braces}")
        start = self.ends[self.at - 1]
        while self.take() != ("char", "}"):
            pass
        return self.tex[start:self.ends[self.at - 1] - 1].strip()


def leaf(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


def mathml(tex: str, display: bool = False) -> str:
    """``tex`` as a MathML ``<math>`` element; raises :class:`RunError` on what it cannot read."""
    formula = Formula(tex)
    row = formula.row()
    math = ET.Element("math", {"display": "block" if display else "inline"})
    math.append(row)
    return ET.tostring(math, encoding="unicode")


INLINE = r"(?<![\\$\w])\$(?=\S)(?P<tex>[^$\n]+?)(?<=\S)\$(?![\d$])"


class InlineFormula(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        return self.md.htmlStash.store(mathml(html.unescape(m["tex"]))), m.start(0), m.end(0)


class BlockFormula(BlockProcessor):
    """A paragraph that is one ``$$ ... $$`` formula."""

    PATTERN = re.compile(r"^\s*\$\$(?P<tex>.+?)\$\$\s*$", re.DOTALL)

    def test(self, parent, block):
        return bool(self.PATTERN.match(block))

    def run(self, parent, blocks):
        tex = self.PATTERN.match(blocks.pop(0))["tex"]
        holder = ET.SubElement(parent, "div", {"class": "rundocs-formula"})
        holder.text = self.parser.md.htmlStash.store(mathml(tex, display=True))


class FormulasExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.inlinePatterns.register(InlineFormula(INLINE, md), "rundocs-formula", 185)
        md.parser.blockprocessors.register(BlockFormula(md.parser), "rundocs-formula", 95)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return FormulasExtension(**kwargs)
