"""The Markdown extension that puts real runs into pages.

It reads stored runs and never executes anything, so it works under any builder that runs
Python-Markdown extensions (MkDocs, Zensical). In a page:

``{{ source: NAME }}`` or ``{{ source: NAME:CELL }}``
    the example's code, read from ``examples/NAME.py`` (whole file, or one ``# %% CELL``);
``{{ output: NAME }}`` or ``{{ output: NAME:CELL }}``
    what it printed;
``{{ figure: NAME/FIGURE }}``, then lines ``alt: ...`` and ``caption: ...``
    a matplotlib figure it drew (``plt.figure("FIGURE")``), as a file beside the page, with a
    text alternative that states what it shows (with the run's values) and a caption that
    says what to look at; both may quote values (``{{ NAME.VALUE }}``). Needs the
    ``attr_list`` and ``pymdownx.blocks.caption`` extensions. An optional third line
    ``chart: CHART`` names an Altair chart of the same run: where scripts run,
    ``javascripts/charts.js`` draws it in place of the image, which stays as the figure
    without JavaScript; the caption links the chart's data as CSV;
``{{ notebook: NAME }}``
    the whole run, cell by cell with outputs and figures (the generated notebook view);
``{{ run: NAME }}``
    where the output came from (versions, seed, time, memory, source hash) and downloads;
``{{ table: NAME.VALUE }}``
    a table from a value that is a list of dicts (one row each, keys as columns);
``{{ timings }}``
    every example's run time and peak memory, from the runs the site shows;
``{{ claims }}``
    every example's ``claims`` (the source material's claims, measured), in one table;
``{{ versions }}``
    for every example, what ``make check-versions`` found on the other TensorFlow releases
    (:mod:`rundocs.checked`), or that the example changed since;
``{{ NAME.VALUE:FORMAT }}``, inline
    a top-level value of the script, e.g. ``{{ mnist_experiment.test_accuracy:.1% }}``;
``{{ minutes: PAGE.md }}``, inline
    how long page ``PAGE.md`` of ``docs/`` takes to read, as the build renders it
    (:mod:`rundocs.reading`), e.g. ``14 min``;
``{{ check: EXPR }}``
    nothing, if EXPR holds on the run (see :mod:`rundocs.checks`); put it after the paragraph
    whose sentence it guards. If it does not hold, the build fails quoting that sentence.

``NAME@BACKEND`` in place of ``NAME`` refers to the example's run under another back-end
(one it asks for with ``# rundocs: backends=...``). A reference to anything the run did not
produce raises :class:`RunError` naming it.
"""

import html
import math
import re
from functools import cache

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from rundocs import EXAMPLES, ROOT, charts, checked, checks, figures, outputs, reading
from rundocs.errors import RunError
from rundocs.notebook import footer, links_markdown
from rundocs.results import Run, latest
from rundocs.runner import examples

BLOCK = re.compile(
    r"^(?P<indent>\s*)\{\{\s*(?:(?P<kind>source|output|figure|run|table|check|notebook):\s*"
    r"(?P<ref>[^}]+?)|(?P<summary>timings|claims|versions))\s*\}\}\s*$"
)
INLINE = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]\w*(?:@[\w-]+)?)\.(?P<path>[\w.\[\]-]+?)\s*"
                    r"(?::(?P<spec>[^}]*?))?\s*\}\}")
CODE_SPAN = re.compile(r"(`+).+?\1")
MINUTES = re.compile(r"\{\{\s*minutes:\s*(?P<page>[\w/-]+\.md)\s*\}\}")
LEFTOVER = re.compile(r"\{\{.*?\}\}")
FIGURE_TEXT = re.compile(r"^\s*(?P<part>alt|caption|chart):\s*(?P<text>.*)$")
RUN_LINE_TERMS = "glossary.md#the-run-line-under-every-example"  # defines oneDNN, AVX-512...
PAGES = ROOT / "docs"  # hand-written pages sit at its top; notebook views in docs/examples


FOLD_LINES = 15  # a listing or output longer than this is folded, its title saying how long


def fence(text: str, language: str, title: str, fold: bool = True) -> list[str]:
    """A fenced block that no backtick run inside ``text`` can close early; folded (a closed
    ``???`` block titled with its length) when it is longer than :data:`FOLD_LINES`, unless
    ``fold`` is false (a block the page already frames, inside an admonition or answer).

    Folding also keeps long pages fast: a closed block's lines are not styled or laid out
    until the reader opens it, and highlighted listings are most of a page's elements.
    """
    ticks = "`" * max([3, *(len(m) + 1 for m in re.findall(r"`+", text))])
    body = text.rstrip("\n").splitlines()
    if len(body) <= FOLD_LINES or not fold:
        return [f'{ticks} {language} title="{title}"', *body, ticks]
    kind = "example" if language == "python" else "abstract"
    summary = f"{title} ({len(body)} lines)".replace('"', "&quot;")
    return [f'??? {kind} "{summary}"', "",
            *("    " + line if line else "" for line in [f"{ticks} {language}", *body, ticks])]


def output(run: Run, text: str, title: str, folder: str = "examples/",
           fold: bool = True) -> list[str]:
    """A fenced block of what ``run`` printed; one too long to put in a page whole
    (:mod:`rundocs.outputs`) shows its start and end, then a note linking its whole text
    (``folder`` leads from the page to the published files)."""
    if not outputs.too_long(text):
        return fence(text, "text", title, fold)
    whole = outputs.published(run, text)
    return [*fence(outputs.shortened(text).text, "text", f"{title}, shortened", fold), "",
            "The block above shows the start and the end of an output of "
            f"{outputs.line_count(text):,} lines "
            f"and {len(text):,} characters: [read the whole output as plain text]"
            f"({folder}figures/{whole})."]


MARKDOWN_SYNTAX = re.compile(r"[\\`*_{}\[\]()#+\-.!|]")  # a backslash makes each plain text


class Markup(str):
    """Markdown the engine wrote (a link to a run), which :func:`table` puts in as it is."""


def escaped(text: str) -> str:
    """A run value made safe to put into a page's text, on one line (line breaks are spaces,
    as a paragraph shows them), each code span in it a code span (the claims of examples
    quote code), and the rest :func:`plain`."""
    text, pieces, last = " ".join(text.splitlines()), [], 0
    for span in CODE_SPAN.finditer(text):  # Markdown escapes a code span's text itself
        pieces += [plain(text[last:span.start()]), span[0]]
        last = span.end()
    return "".join([*pieces, plain(text[last:])])


def plain(text: str) -> str:
    """Text shown as it is: ``& < > "`` escaped, so no markup in it is ever read as markup
    (apostrophes stay readable; they open nothing in a page's text), and every character
    Markdown reads as syntax (emphasis, links, ``{...}`` attributes, ``$`` formulas, table
    bars) backslash-escaped or, for ``$``, an entity."""
    text = MARKDOWN_SYNTAX.sub(r"\\\g<0>", text)
    return html.escape(text, quote=False).replace('"', "&quot;").replace("$", "&#36;")


def table(rows, ref: str) -> list[str]:
    """A Markdown table from a list of dicts that share their keys."""
    if not (isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)):
        raise RunError(f"{ref} is not a list of dicts, so it cannot be shown as a table")
    columns = list(rows[0])

    def cell(value):  # a run value: escaped, so markup in it is shown, never run
        return value if isinstance(value, Markup) else escaped(formatted(value, None))

    def header(column):  # "peak_memory" -> "Peak memory"; "CPU time (s)" stays as it is
        text = column.replace("_", " ")
        return cell(text[:1].upper() + text[1:])

    return [
        "| " + " | ".join(header(c) for c in columns) + " |",
        "|" + " --- |" * len(columns),
        *("| " + " | ".join(cell(row.get(c, "")) for c in columns) + " |" for row in rows),
    ]


def also_links(claim: dict) -> list[str]:
    """Links to the notebook views of the other runs that bear on ``claim`` (its ``also``)."""
    for name in claim.get("also", []):
        if not (EXAMPLES / f"{name}.py").exists():
            raise RunError(f"claim {claim.get('claim')!r} names a run that does not exist: "
                           f"examples/{name}.py")
    return [f"[{name}](examples/{name}.md)" for name in claim.get("also", [])]


def claim_row(claim: dict, link: str) -> dict:
    """A ledger row: the claim, and every run that bears on it (``also``: other examples)."""
    row = {key: value for key, value in claim.items() if key != "also"}
    return {**row, "runs": Markup(", ".join([link, *also_links(claim)]))}


def page_claim_row(claim: dict) -> dict:
    """A row of a page's own claims table: the other runs that bear on it as links."""
    row = {key: value for key, value in claim.items() if key != "also"}
    return {**row, "see also": Markup(", ".join(also_links(claim)))}


def formatted(value, spec: str | None) -> str:
    """A run value as a page shows it: a list reads as words ("892, 9108"), never as Python."""
    if spec:
        return format(value, spec)
    if isinstance(value, list | tuple):
        return ", ".join(formatted(item, None) for item in value)
    return f"{value:.4g}" if isinstance(value, float) else str(value)


class RunsPreprocessor(Preprocessor):
    """Replace ``{{ ... }}`` references with the content of the runs they name."""

    def __init__(self, md):
        super().__init__(md)
        self.runs: dict = {}
        self.figures_shown = 0  # the first figure of a page loads at once, the rest lazily
        self.fold = True  # long listings fold, except where a block of the page frames them

    def run_of(self, name: str) -> Run:
        run = latest(name)
        return self.runs.setdefault(run.folder, run)

    def figure(self, ref: str, alt: str | None, caption: str | None,
               folder: str = "examples/", chart: str | None = None) -> list[str]:
        """A figure file with its alt text and caption; ``folder`` leads from the page to it."""
        name, _, figure = ref.partition("/")
        run = self.run_of(name)
        file = figures.published(run, figure)
        if not (alt and caption):
            raise RunError("a figure needs an `alt:` line (what it shows, with the run's "
                           "values) and a `caption:` line (what to look at) right under it")
        width, height = figures.size(run, figure)
        legible = figures.legible_width(run, figure)
        loading = "eager" if self.figures_shown == 0 else "lazy"
        self.figures_shown += 1
        alt = html.escape(alt).replace("[", "&#91;").replace("]", "&#93;")
        interactive = ""
        if chart:
            stem = charts.published(run, chart)
            interactive = (f'<span class="rundocs-chart" data-spec="{stem}.vl.json" '  # beside
                           f'data-library="{charts.library()}" hidden></span>')  # the image
            caption += f" Data behind the interactive figure: [CSV]({folder}figures/{stem}.csv)."
        # Never drawn narrower than where its smallest text is legible: on a phone a wide
        # figure scrolls sideways instead, and a tap opens it whole.
        at_least = f' style="min-width: {legible}px"' if legible > figures.PHONE_COLUMN else ""
        text = figures.text_px(run, figure)
        at_least += f' data-text-px="{text}"' if text else ""  # for the legibility test
        return [  # Markdown, not HTML, so it also works indented (in a folded block)
            f'[![{alt}]({folder}figures/{file}){{ width="{width}" height="{height}" '
            f'loading="{loading}"{at_least} }}]({folder}figures/{file}){interactive}',
            "",
            "/// caption",  # pymdownx.blocks.caption wraps image and caption in <figure>
            "    attrs: {class: rundocs-figure}",
            caption,
            "///",
        ]

    def notebook(self, name: str) -> list[str]:
        """The whole run as a notebook view: each cell's code, output and figures in order."""
        run = self.run_of(name)
        where = f"examples/{name}.py"
        lines = [f"The whole of `{where}`, cell by cell, with what each cell printed and drew "
                 "in the run the pages quote.", "", links_markdown(name, here=""),
                 "{ .rundocs-links }", ""]
        count = 0
        for cell in run.data["cells"]:
            if cell["kind"] != "code":
                lines += [cell["source"], ""]
                continue
            count += 1
            lines += [*fence(cell["source"], "python", f"In [{count}]"), ""]
            printed = "".join(text for _, text in cell["outputs"])
            if printed.strip():
                lines += [*output(run, printed, f"Out [{count}]", folder=""), ""]
            for figure in cell["figures"]:
                alt, caption = self.figure_text(run, figure)
                lines += [*self.figure(f"{name}/{figure}", alt, caption, folder=""), ""]
        return [*lines, f"{footer(run)} · [what this line says](../{RUN_LINE_TERMS})",
                "{ .rundocs-provenance }"]

    def figure_text(self, run: Run, figure: str) -> tuple[str, str]:
        """The alt text and caption a page gives this figure, with the run's values in them."""
        written = figure_texts().get(f"{run.name}/{figure}")
        if written is None:
            title = run.data["figures"][figure]  # alt text is escaped by ``figure``
            return (f"Figure drawn by this cell: {title}",
                    f"{escaped(title)}. No page discusses this figure.")
        alt, caption, page = written
        return (INLINE.sub(self.raw_inline, alt),
                INLINE.sub(self.inline, caption) + f" (Explained on the page {page}.)")

    def block(self, kind: str, ref: str) -> list[str]:
        if kind == "table":
            name, _, path = ref.partition(".")
            rows = self.run_of(name).value(path)
            if path == "claims" and isinstance(rows, list) and all(isinstance(c, dict)
                                                                   for c in rows):
                rows = [page_claim_row(c) for c in rows]
                if not any(row["see also"] for row in rows):
                    rows = [{k: v for k, v in row.items() if k != "see also"} for row in rows]
            return table(rows, ref)
        if kind == "notebook":
            return self.notebook(ref)
        name, _, cell = ref.partition(":")
        run = self.run_of(name)
        where = f"examples/{name}.py"
        if kind == "source":
            text = run.cell(cell)["source"] if cell else run.script.read_text()
            return fence(text, "python", where + (f" · {cell}" if cell else ""), self.fold)
        if kind == "output":
            text = run.output(cell or None)
            if not text.strip():
                raise RunError(f"{where}{':' + cell if cell else ''} printed nothing to show")
            return output(run, text, f"Output of {where}" + (f" · {cell}" if cell else ""),
                          fold=self.fold)
        return proof(run)

    def summary(self, kind: str) -> list[str]:
        """One table over every example's run: its timings, its checked claims, or what the
        version check found."""
        if kind == "versions":
            return versions_table()
        rows = []
        for script in examples():
            run = self.run_of(script.stem)
            link = Markup(f"[{script.stem}](examples/{script.stem}.md)")
            if kind == "timings":
                rows.append({"example": link,
                             "CPU time (s)": f"{run.data['cpu_seconds']:.1f}",
                             "wall time (s)": f"{run.data['wall_seconds']:.1f}",
                             "runs at once": run.data["concurrent_runs"],
                             "peak memory (MB)": f"{run.data['peak_memory_mb']:.0f}",
                             "source": run.key[:8]})
            else:
                rows += [claim_row(claim, link) for claim in run.values.get("claims", [])]
        return table(rows, kind)

    def inline(self, match: re.Match) -> str:
        """A run value quoted in a page, HTML-escaped: a value is text, never markup."""
        return escaped(self.raw_inline(match))

    def quote(self, line: str) -> str:
        """``line`` with its values quoted: escaped, except in code spans (Markdown escapes
        those itself, so an escaped value there would show its entities)."""
        line = MINUTES.sub(self.minutes, line)
        pieces, last = [], 0
        for span in CODE_SPAN.finditer(line):
            pieces += [INLINE.sub(self.inline, line[last:span.start()]), self.code_span(span)]
            last = span.end()
        return "".join([*pieces, INLINE.sub(self.inline, line[last:])])

    def code_span(self, span: re.Match) -> str:
        """A code span with its values as they are, on one line, between more backticks than
        any run of them in it, so no value ends the span early."""
        ticks = span[1]
        if not INLINE.search(span[0]):
            return span[0]
        text = " ".join(INLINE.sub(self.raw_inline, span[0][len(ticks):-len(ticks)]).splitlines())
        ticks = "`" * max([len(ticks), *(len(found) + 1 for found in re.findall(r"`+", text))])
        if text.startswith("`") or text.endswith("`"):  # a space parts them from the fence
            text = f" {text} "
        return ticks + text + ticks

    @staticmethod
    def minutes(match: re.Match) -> str:
        """A page's reading time, whole minutes rounded up."""
        page = match["page"]
        if not (PAGES / page).is_file():
            raise RunError(f"{{{{ minutes: {page} }}}} names no page of docs/")
        if page in reading.MEASURING:  # the page quotes its own time: the words stand in
            return "a few min"
        return f"{math.ceil(reading.minutes(reading.rendered(page)))} min"

    def raw_inline(self, match: re.Match) -> str:
        """A run value as text, for places that escape it themselves (alt text)."""
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

    def expand(self, line: str, before: list[str], after: list[str]) -> tuple[list[str], int]:
        """The lines that replace ``line``, and how many of the lines ``after`` it they used."""
        match = BLOCK.match(line)
        if match and match["kind"] == "check":
            self.check(match["ref"], before)
            return [""], 0
        used = 0
        if match and match["kind"] == "figure":
            texts, used = figure_lines(after)
            texts = {part: INLINE.sub(self.raw_inline if part == "alt" else self.inline, text)
                     for part, text in texts.items()}  # alt text is escaped by ``figure``
            rows = self.figure(match["ref"], texts.get("alt"), texts.get("caption"),
                               chart=texts.get("chart"))
        elif match and match["summary"]:
            rows = self.summary(match["summary"])
        elif match:
            self.fold = not match["indent"]  # an indented reference is framed by its block
            rows = self.block(match["kind"], match["ref"])
        else:
            # Looked for in what the author wrote: a value may print "{{ ... }}" as text.
            leftover = LEFTOVER.search(MINUTES.sub("", INLINE.sub("", line)))
            if leftover:
                raise RunError(
                    f"unrecognised reference {leftover[0]} (a source, output, figure or run "
                    "reference stands on a line of its own; a value is {{ NAME.VALUE:FORMAT }})"
                )
            return [self.quote(line)], 0
        return [match["indent"] + part for part in ["", *rows, ""]], used

    def run(self, lines: list[str]) -> list[str]:
        out, number = [], 0
        self.figures_shown = 0
        while number < len(lines):
            line = lines[number]
            try:
                expanded, used = self.expand(line, out, lines[number + 1:])
            except RunError as error:
                raise RunError(f"line {number + 1 + front_matter(lines)}: {line.strip()}\n"
                               f"  {error}") from None
            out += expanded
            number += 1 + used
        return out


def proof(run: Run) -> list[str]:
    """Where a run came from, folded behind one short line: the lesson stays in front, and
    the versions, machine, kernels, seed, cost, hash and downloads are one click away."""
    example, seed = run.example, run.data["provenance"].get("seed")
    title = f"The run behind this: examples/{example}.py" + (f", seed {seed}" if seed is not None
                                                             else "")
    return [
        f'??? rundocs-run "{escaped(title)}"',
        "",
        f"    {footer(run)} · [notebook view](examples/{example}.md) · "
        f"[what this line says]({RUN_LINE_TERMS})",
        "    { .rundocs-provenance }",
        "",
        f"    {links_markdown(example, here='examples/')}",
        "    { .rundocs-links }",
    ]


def front_matter(lines: list[str]) -> int:
    """How many lines of front matter the builder took off the page ``lines`` came from, so
    that an error names the line in the file (0 if no page with front matter holds them)."""
    blank = next((i for i, line in enumerate(lines) if line), len(lines))  # leading blanks
    text = "\n".join(lines[blank:])
    if not text.strip():
        return 0
    for page in sorted(PAGES.rglob("*.md")):
        source = page.read_text()
        if source.startswith("---") and (found := source.find(text)) > 0:
            return source[:found].count("\n") - blank
    return 0


def figure_lines(after: list[str]) -> tuple[dict[str, str], int]:
    """The ``alt:`` and ``caption:`` lines at the start of ``after``, and how many there were."""
    texts, used = {}, 0
    while used < len(after) and (part := FIGURE_TEXT.match(after[used])):
        texts[part["part"]] = part["text"].strip()
        used += 1
    return texts, used


@cache
def _figure_texts(stamp: tuple) -> dict[str, tuple[str, str, str]]:
    found = {}
    for page in sorted(PAGES.glob("*.md")):
        lines = page.read_text().splitlines()
        title = next((x[2:].strip() for x in lines if x.startswith("# ")), page.stem)
        for number, line in enumerate(lines):
            match = BLOCK.match(line)
            if match and match["kind"] == "figure":
                parts = figure_lines(lines[number + 1:])[0]
                found.setdefault(match["ref"].strip(), (parts.get("alt", ""),
                                                        parts.get("caption", ""),
                                                        f"[{title}](../{page.name})"))
    return found


def figure_texts() -> dict[str, tuple[str, str, str]]:
    """``NAME/FIGURE`` -> (alt, caption, link to its page), from the first page showing it."""
    return _figure_texts(tuple((p.name, p.stat().st_mtime_ns) for p in PAGES.glob("*.md")))


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


PHONE_COLUMNS = 40  # characters of code a 320 px screen shows on a line, at 12 px


class KeyboardListings(Postprocessor):
    """Make a code block that may scroll sideways focusable, so the keyboard can scroll it,
    and leave every code block out of the search index.

    The theme makes a block focusable itself when it mounts it, but mounts each only as it
    comes into view (``content.lazy``, which keeps long pages fast), so Tab would skip the
    blocks below. A block whose longest line fits a phone never scrolls and stays out of the
    Tab order. Out of the index (``data-search-exclude``, which Material and Zensical read), a
    search for "learning rate" lands on the lesson that explains it, not on a listing that
    happens to say it often.
    """

    CODE = re.compile(r"<pre([^>]*>(?:<span></span>)?<code)(>(.*?)</code>)", re.S)

    def run(self, text: str) -> str:
        def listing(match):
            lines = html.unescape(re.sub(r"<[^>]+>", "", match[3])).splitlines() or [""]
            wide = ' tabindex="0"' if max(map(len, lines)) > PHONE_COLUMNS else ""
            return f"<pre data-search-exclude{match[1]}{wide}{match[2]}"

        return self.CODE.sub(listing, text)


class RunsExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(RunsPreprocessor(md), "rundocs", 33)
        # after the raw HTML (highlighted code among it) is put back, at priority 30
        md.postprocessors.register(KeyboardListings(md), "rundocs-keyboard", 5)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return RunsExtension(**kwargs)



def versions_table() -> list[str]:
    """Per example: its claims and page checks, and on each other TensorFlow release whether
    they all came out as on the locked one (:mod:`rundocs.checked`)."""
    record = checked.load()
    releases = {c: d for c, d in record.get("releases", {}).items() if c != "default"}
    if not releases:
        raise RunError(f"{checked.RECORD.relative_to(ROOT)} records no version check: run "
                       "`make check-versions`")
    rows = []
    for script in examples():
        found = checked.status(script.stem)
        row = {"example": Markup(f"[{script.stem}](examples/{script.stem}.md)"),
               "claims, page checks": (f"{found['claims']}, {found['checks']}"
                                       if "claims" in found else "–")}
        for description in releases.values():
            label = f"on {description}"
            if not found["current"]:
                row[label] = "not checked since it changed"
            elif found["differ"]:
                row[label] = f"{len(found['differ'])} differ"
            else:
                row[label] = "all the same"
        rows.append(row)
    return table(rows, "versions")
