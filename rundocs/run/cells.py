"""Split an example script into cells at ``# %%`` markers (jupytext's "percent" format).

``# %% train`` starts a code cell named ``train``; ``# %% [markdown]`` starts a text cell
whose lines are comments. Lines before the first marker form an unnamed code cell.
Each cell remembers the file line it starts on, so tracebacks point into the real file.
"""

import re
from dataclasses import dataclass

MARKER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: (?P<id>[A-Za-z][\w-]*))?\s*$")
BACKENDS = re.compile(r"^# rundocs: backends=([\w,-]+)\s*$", re.MULTILINE)
SETTINGS = {  # what each `# rundocs: NAME=VALUE` line may say, and how to say it
    "timeout": (r"\d{1,7}", "`# rundocs: timeout=N`, N in seconds"),
    "memory": (r"\d{1,7}", "`# rundocs: memory=N`, N in MB"),
    "output": (r"\d{1,7}", "`# rundocs: output=N`, N in MB"),
    "backends": (r"[\w-]+(?:,[\w-]+)*", "`# rundocs: backends=A,B`, names joined by commas"),
}


@dataclass
class Cell:
    kind: str  # "code" or "markdown"
    id: str | None
    source: str
    first_line: int  # 1-based line number of the cell's first source line


def split(text: str) -> list[Cell]:
    """Return the non-empty cells of ``text`` in file order."""
    cells, kind, cell_id, start, body = [], "code", None, 1, []

    def close():
        lines = [re.sub(r"^# ?", "", line) for line in body] if kind == "markdown" else body
        filled = [i for i, line in enumerate(lines) if line.strip()]
        if filled:  # blank lines around a cell are not its lines
            source = "\n".join(lines[filled[0]:filled[-1] + 1])
            cells.append(Cell(kind, cell_id, source, start + filled[0]))

    for number, line in enumerate(text.splitlines(), 1):
        match = MARKER.match(line)
        if match:
            close()
            kind = "markdown" if match["markdown"] else "code"
            cell_id, start, body = match["id"], number + 1, []
        else:
            body.append(line)
    close()
    return cells


def number(text: str, name: str) -> int | None:
    """The number a script gives with a ``# rundocs: NAME=N`` line (at most 7 digits), or None."""
    match = re.search(rf"^# rundocs: {name}=(\d{{1,7}})\s*$", text, re.MULTILINE)
    return int(match[1]) if match else None


def timeout(text: str, default: int) -> int:
    """The time limit a script asks for with ``# rundocs: timeout=N``, else ``default``."""
    asked = number(text, "timeout")
    return default if asked is None else asked


def output(text: str, default: int) -> int:
    """The most output in MB a script may print, ``# rundocs: output=N``, else ``default``."""
    asked = number(text, "output")
    return default if asked is None else asked


def memory(text: str) -> int | None:
    """The memory cap in MB a script asks for with ``# rundocs: memory=N``, else None."""
    return number(text, "memory")


def backends(text: str) -> list[str]:
    """The other back-ends a script asks to be shown under: ``# rundocs: backends=A,B``."""
    match = BACKENDS.search(text)
    return match[1].split(",") if match else []


def misread_setting(text: str) -> str | None:
    """The first ``# rundocs:`` line of ``text`` that does not say what it means, as a message
    naming its line and what to write instead; None if every such line parses."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("# rundocs:"):
            continue
        name = line.removeprefix("# rundocs:").partition("=")[0].strip()
        said = f"line {number}: `{line.strip()}`"
        if name not in SETTINGS:
            known = "; ".join(form for _, form in SETTINGS.values())
            return f"{said} is not a setting the engine knows (it knows {known})"
        pattern, form = SETTINGS[name]
        if not re.fullmatch(rf"# rundocs: {name}={pattern}", line.rstrip()):
            return f"{said} does not parse: write {form}, with no spaces or units"
    return None
