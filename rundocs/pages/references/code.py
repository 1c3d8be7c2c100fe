"""``{{ source: NAME[:CELL] }}``, ``{{ output: NAME[:CELL] }}`` and ``{{ notebook: NAME }}``:
an example's code, what it printed, and the whole run cell by cell."""

from rundocs.errors import RunError
from rundocs.pages.references import Page, figure, what_the_run_line_says
from rundocs.pages.text import fence, output
from rundocs.project import LESSONS, UP
from rundocs.publish.notebook import footer, links_markdown


def source(page: Page, ref: str) -> list[str]:
    """The example's code: the whole file, or one ``# %% CELL``."""
    name, _, cell = ref.partition(":")
    run = page.run_of(name)
    text = run.cell(cell)["source"] if cell else run.script.read_text()
    return fence(text, "python", f"{LESSONS}/{name}.py" + (f" · {cell}" if cell else ""),
                 page.fold)


def printed(page: Page, ref: str) -> list[str]:
    """What the example, or one of its cells, printed."""
    name, _, cell = ref.partition(":")
    run = page.run_of(name)
    where = f"{LESSONS}/{name}.py"
    text = run.output(cell or None)
    if not text.strip():
        raise RunError(f"{where}{':' + cell if cell else ''} printed nothing to show")
    return output(run, text, f"Output of {where}" + (f" · {cell}" if cell else ""),
                  fold=page.fold)


def notebook(page: Page, name: str) -> list[str]:
    """The whole run as a notebook view: each cell's code, output and figures in order."""
    run = page.run_of(name)
    lines = [f"The whole of `{LESSONS}/{name}.py`, cell by cell, with what each cell printed "
             "and drew in the run the pages quote.", "", links_markdown(name, here=""),
             "{ .rundocs-links }", ""]
    count = 0
    for cell in run.data["cells"]:
        if cell["kind"] != "code":
            lines += [cell["source"], ""]
            continue
        count += 1
        lines += [*fence(cell["source"], "python", f"In [{count}]"), ""]
        text = "".join(text for _, text in cell["outputs"])
        if text.strip():
            lines += [*output(run, text, f"Out [{count}]", folder=""), ""]
        for drawn in cell["figures"]:
            alt, caption = figure.texts_for(page, run, drawn)
            lines += [*figure.figure(page, f"{name}/{drawn}", alt, caption, folder=""), ""]
    return [*lines, f"{footer(run)}{what_the_run_line_says(UP)}",
            "{ .rundocs-provenance }"]
