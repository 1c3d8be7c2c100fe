"""The Markdown extension that puts real runs into pages.

It reads stored runs and never executes anything, so it works under any builder that runs
Python-Markdown extensions (MkDocs, Zensical). In a page:

``{{ source: NAME }}`` or ``{{ source: NAME:CELL }}``
    the example's code, read from ``examples/NAME.py`` (whole file, or one ``# %% CELL``);
``{{ output: NAME }}`` or ``{{ output: NAME:CELL }}``
    what it printed;
``{{ figure: NAME/FIGURE }}``
    a matplotlib figure it drew (``plt.figure("FIGURE")``);
``{{ run: NAME }}``
    where the output came from (versions, seed, time, memory, source hash) and downloads;
``{{ table: NAME.VALUE }}``
    a table from a value that is a list of dicts (one row each, keys as columns);
``{{ timings }}``
    every example's run time and peak memory, from the runs the site shows;
``{{ claims }}``
    every example's ``claims`` (the source material's claims, measured), in one table;
``{{ NAME.VALUE:FORMAT }}``, inline
    a top-level value of the script, e.g. ``{{ mnist_experiment.test_accuracy:.1% }}``;
``{{ check: EXPR }}``
    nothing, if EXPR holds on the run (see :mod:`rundocs.checks`); put it after the paragraph
    whose sentence it guards. If it does not hold, the build fails quoting that sentence.

``NAME@BACKEND`` in place of ``NAME`` refers to the example's run under another back-end
(one it asks for with ``# rundocs: backends=...``). A reference to anything the run did not
produce raises :class:`RunError` naming it.
"""

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

from rundocs import checks
from rundocs.errors import RunError
from rundocs.notebook import footer, links_markdown
from rundocs.results import Run, latest
from rundocs.runner import examples

BLOCK = re.compile(
    r"^(?P<indent>\s*)\{\{\s*(?:(?P<kind>source|output|figure|run|table|check):\s*"
    r"(?P<ref>[^}]+?)|(?P<summary>timings|claims))\s*\}\}\s*$"
)
INLINE = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]\w*(?:@[\w-]+)?)\.(?P<path>[\w.\[\]-]+?)\s*"
                    r"(?::(?P<spec>[^}]*?))?\s*\}\}")
LEFTOVER = re.compile(r"\{\{.*?\}\}")


def fence(text: str, language: str, title: str) -> list[str]:
    """A fenced block that no backtick run inside ``text`` can close early."""
    ticks = "`" * max([3, *(len(m) + 1 for m in re.findall(r"`+", text))])
    return [f'{ticks} {language} title="{title}"', *text.rstrip("\n").splitlines(), ticks]


def table(rows, ref: str) -> list[str]:
    """A Markdown table from a list of dicts that share their keys."""
    if not (isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)):
        raise RunError(f"{ref} is not a list of dicts, so it cannot be shown as a table")
    columns = list(rows[0])

    def cell(value):
        return formatted(value, None).replace("|", "\\|").replace("\n", " ")

    return [
        "| " + " | ".join(c.replace("_", " ").capitalize() for c in columns) + " |",
        "|" + " --- |" * len(columns),
        *("| " + " | ".join(cell(row.get(c, "")) for c in columns) + " |" for row in rows),
    ]


def formatted(value, spec: str | None) -> str:
    if spec:
        return format(value, spec)
    return f"{value:.4g}" if isinstance(value, float) else str(value)


class RunsPreprocessor(Preprocessor):
    """Replace ``{{ ... }}`` references with the content of the runs they name."""

    def __init__(self, md):
        super().__init__(md)
        self.runs: dict = {}

    def run_of(self, name: str) -> Run:
        run = latest(name)
        return self.runs.setdefault(run.folder, run)

    def block(self, kind: str, ref: str) -> list[str]:
        if kind == "table":
            name, _, path = ref.partition(".")
            return table(self.run_of(name).value(path), ref)
        if kind == "figure":
            name, _, figure = ref.partition("/")
            run = self.run_of(name)
            uri = run.figure_data_uri(figure)
            alt = run.data["figures"][figure].replace('"', "&quot;")
            return [f'<figure class="rundocs-figure"><img src="{uri}" alt="{alt}"></figure>']
        name, _, cell = ref.partition(":")
        run = self.run_of(name)
        where = f"examples/{name}.py"
        if kind == "source":
            text = run.cell(cell)["source"] if cell else run.script.read_text()
            return fence(text, "python", where + (f" · {cell}" if cell else ""))
        if kind == "output":
            text = run.output(cell or None)
            if not text.strip():
                raise RunError(f"{where}{':' + cell if cell else ''} printed nothing to show")
            return fence(text, "text", f"Output of {where}" + (f" · {cell}" if cell else ""))
        example = run.example
        return [
            f"{footer(run)} · [notebook view](examples/{example}.ipynb)",
            "{ .rundocs-provenance }",
            "",
            links_markdown(example),
            "{ .rundocs-links }",
        ]

    def summary(self, kind: str) -> list[str]:
        """One table over every example's run: its timings, or its checked claims."""
        rows = []
        for script in examples():
            run = self.run_of(script.stem)
            link = f"[{script.stem}](examples/{script.stem}.ipynb)"
            if kind == "timings":
                rows.append({"example": link,
                             "CPU time (s)": f"{run.data['cpu_seconds']:.1f}",
                             "wall time (s)": f"{run.data['wall_seconds']:.1f}",
                             "runs at once": run.data["concurrent_runs"],
                             "peak memory (MB)": f"{run.data['peak_memory_mb']:.0f}",
                             "source": run.key[:8]})
            else:
                rows += [{**claim, "run": link} for claim in run.values.get("claims", [])]
        return table(rows, kind)

    def inline(self, match: re.Match) -> str:
        value = self.run_of(match["name"]).value(match["path"])
        try:
            return formatted(value, match["spec"])
        except (TypeError, ValueError) as error:
            raise RunError(f"cannot format {match[0]} ({value!r}): {error}") from None

    def check(self, expression: str, before: list[str]) -> None:
        """Fail unless ``expression`` holds on the runs, quoting the paragraph it guards."""
        holds, read = checks.evaluate(expression, lambda n, p: self.run_of(n).value(p))
        if holds:
            return
        sentence = guarded(before)
        raise RunError(
            f"the run contradicts the paragraph this check guards:\n    \"{sentence}\"\n"
            f"  check: {expression}\n  measured:\n{checks.shown(read)}\n"
            "  Rewrite the paragraph to say what the run shows (or what holds on every "
            "back-end), then its check."
        )

    def expand(self, line: str, before: list[str]) -> list[str]:
        match = BLOCK.match(line)
        if match and match["kind"] == "check":
            self.check(match["ref"], before)
            return [""]
        if match:
            if match["summary"]:
                rows = self.summary(match["summary"])
            else:
                rows = self.block(match["kind"], match["ref"])
            parts = ["", *rows, ""]
            return [match["indent"] + part for part in parts]
        line = INLINE.sub(self.inline, line)
        leftover = LEFTOVER.search(line)
        if leftover:
            raise RunError(
                f"unrecognised reference {leftover[0]} (a source, output, figure or run "
                "reference stands on a line of its own; a value is {{ NAME.VALUE:FORMAT }})"
            )
        return [line]

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for number, line in enumerate(lines, 1):
            try:
                out += self.expand(line, out)
            except RunError as error:
                raise RunError(f"line {number}: {line.strip()}\n  {error}") from None
        return out


def guarded(before: list[str], limit: int = 240) -> str:
    """The last paragraph of ``before`` (what a check written under it guards), on one line."""
    paragraph = []
    for line in reversed(before):
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.insert(0, line.strip())
    text = " ".join(paragraph) or "(nothing: a check must follow the paragraph it guards)"
    return text if len(text) <= limit else text[:limit - 1] + "…"


class RunsExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(RunsPreprocessor(md), "rundocs", 33)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return RunsExtension(**kwargs)

