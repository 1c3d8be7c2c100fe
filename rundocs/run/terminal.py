"""Output as a terminal shows it: the final text of each line, nothing a screen would not show.

A progress bar redraws its line with ``\\r`` (and sometimes ``\\b``); a coloured log wraps its
words in ANSI escape sequences; a careless program prints NUL bytes. A terminal shows only the
line's final state, in plain text, and so does a stored run: :func:`shown` replaces each line
by what is left on screen after its carriage returns and backspaces, drops escape sequences
and the other control characters (a tab and a newline stay).
"""

import re

ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing
                     r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, links
                     r"|\x1b[@-Z\\-_]")  # the other two-character escapes
CONTROLS = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]")  # all but \b \t \n \r


def _line(text: str) -> str:
    """The characters left on screen after ``text`` is written from the start of a line."""
    if "\r" not in text and "\b" not in text:
        return text
    screen, column = [], 0
    for char in text:
        if char == "\r":
            column = 0
        elif char == "\b":
            column = max(column - 1, 0)
        else:
            if column < len(screen):
                screen[column] = char
            else:
                screen.append(char)
            column += 1
    return "".join(screen)


def shown(text: str) -> str:
    """``text`` as a terminal leaves it on screen."""
    text = CONTROLS.sub("", ESCAPES.sub("", text))
    return "\n".join(_line(line) for line in text.split("\n"))
