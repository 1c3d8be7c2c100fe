"""A Pygments filter that keeps highlighted code light: plain names are left unwrapped.

Pygments wraps every token in a ``<span>``, and most tokens of a Python listing are plain
names (``Token.Name``), which Material for MkDocs colours exactly like unhighlighted code
(``--md-code-hl-name-color`` is ``--md-code-fg-color``). Turning them into plain text drops
their spans, about a sixth of a listing's bytes, and changes nothing a reader sees. Builtins,
functions, classes, keywords, strings and numbers keep their spans and colours.

Registered as the Pygments filter ``rundocs-plain-names`` (an entry point in
``pyproject.toml``) and switched on for ``python`` fences in ``mkdocs.yml``
(``pymdownx.highlight``'s ``extend_pygments_lang``), so both builders use it.
"""

from pygments.filter import Filter
from pygments.token import Name, Text


class PlainNames(Filter):
    """``Token.Name`` (and nothing under it) becomes ``Token.Text``: the same colour, no span."""

    def filter(self, lexer, stream):
        for token, value in stream:
            yield (Text if token is Name else token), value
