"""Publish a stored run beside the pages: its notebook view, downloads, figures and long
outputs (:mod:`rundocs.publish.outputs`).

The executed notebook is assembled from the run's own cells and outputs (nothing is executed
again), and the notebook view is a generated page that the Markdown extension renders from the
same run, so the view, the downloads and the pages always show the same run, under any builder.
"""

import ast
import base64
import html
from functools import cache
from urllib.parse import urlparse

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rundocs.axes import backends
from rundocs.project import (
    BRANCH,
    CONFIG,
    LESSONS,
    LINKED,
    NOTEBOOKS_BRANCH,
    PUBLISHED,
    SOURCE,
    TENSORFLOW,
)
from rundocs.publish import charts, figures, outputs
from rundocs.store import checked
from rundocs.store.results import Run


def footer(run: Run) -> str:
    """One line of provenance: versions, hardware, data, seed, cost, memory and source hash."""
    facts = run.data["provenance"]
    versions = ", ".join(
        f"{label} {facts[module]}"
        for module, label in (("python", "Python"), ("tensorflow", "TensorFlow"),
                              ("keras", "Keras"))
        if module in facts
    )
    seed = facts.get("seed")
    return html.escape(  # run facts are text: any markup in them is shown, not run
        f"Ran with {versions} on {facts['device']}, {backends.describe(facts['hardware'])}"
        + (f" · {facts['data']}" if "data" in facts else "")
        + (f" · seed {seed}" if seed is not None else "")
        + f" · {cost(run.data)}"
        + f" · peak memory {run.data['peak_memory_mb']:.0f} MB"
        + f" · source {run.key[:8]}", quote=False
    )


@cache
def _site() -> tuple[str | None, str | None]:
    """``repo_url`` and ``site_url`` from mkdocs.yml, the one place they are written (None
    where a project has not written one)."""
    settings = yaml.safe_load(CONFIG.read_text()) or {}
    repo, site = settings.get("repo_url"), settings.get("site_url")
    return repo and repo.rstrip("/"), site and site.rstrip("/") + "/"


def links(name: str, here: str | None = None) -> dict[str, str]:
    """Where a reader can run, read and download example ``name``, by label.

    Colab opens the published notebook from the repository's notebooks branch (the project's
    ``notebooks_branch``; this site's publish workflow adds a commit to it on each deploy), so
    it has the outputs of the site's run.
    The downloads lead to the published files: from a page, by the relative path ``here``
    (``"examples/"`` from a page at the top, ``""`` from a notebook view), so they work
    wherever the site is served (``make serve``, a fork's preview); without it (in a
    notebook, opened outside the site) by the hosted address. A project without a GitHub
    ``repo_url`` gets no Colab or GitHub link, and one without a ``site_url`` no download link
    in its notebooks.
    """
    repo, site = _site()
    found = {}
    if repo and urlparse(repo).hostname == "github.com":
        owner_and_repo = urlparse(repo).path.strip("/")
        if NOTEBOOKS_BRANCH:
            found["Run in Google Colab"] = (
                f"https://colab.research.google.com/github/{owner_and_repo}/blob/"
                f"{NOTEBOOKS_BRANCH}/{SOURCE}/{name}.ipynb")
        found["View source on GitHub"] = f"{repo}/blob/{BRANCH}/{SOURCE}/{name}.py"
    downloads = f"{site}{LINKED}/" if here is None and site else here
    if downloads is not None:
        found["Download script"] = f"{downloads}{name}.py"
        found["Download notebook"] = f"{downloads}{name}.ipynb"
    return found


def links_markdown(name: str, here: str | None = None) -> str:
    return " · ".join(f"[{label}]({url})" for label, url in links(name, here).items())


def cost(data: dict) -> str:
    """What the run cost: CPU time, and wall time with the number of runs beside it."""
    beside = data.get("concurrent_runs", 1) - 1
    company = f", {beside} other run{'s' * (beside > 1)} at once" if beside else ", alone"
    return (f"{data['cpu_seconds']:.1f} s of CPU time "
            f"({data['wall_seconds']:.1f} s wall{company})")


def expect(run: Run) -> str:
    """What a reader running this notebook on another TensorFlow can expect, in a sentence."""
    facts = run.data["provenance"]
    made = ", ".join(f"{label} {facts[module]}" for module, label in
                     (("tensorflow", "TensorFlow"), ("keras", "Keras"), ("numpy", "NumPy"))
                     if module in facts)
    text = f"The outputs below are from a run with {made}." if made else ""
    if not run.backend and TENSORFLOW is not None:  # the kit's releases were checked
        text += (" " if text else "") + checked.sentence(run.name, _site()[1] or "")
    return html.escape(text, quote=False)


def to_notebook(run: Run) -> nbformat.NotebookNode:
    """The run as a notebook; the same run always gives the same bytes (cell ids included)."""
    cells = [new_markdown_cell(links_markdown(run.name) + "\n\n" + expect(run))]
    count = 0
    for cell in run.data["cells"]:
        if cell["kind"] == "markdown":
            cells.append(new_markdown_cell(cell["source"]))
            continue
        count += 1
        outputs = [new_output("stream", name=stream, text=text) for stream, text in cell["outputs"]]
        for figure in cell["figures"]:
            png = base64.b64encode(run.figure_png(figure)).decode()
            outputs.append(new_output("display_data", data={"image/png": png,
                                                             "text/plain": figure}))
        cells.append(new_code_cell(cell["source"], execution_count=count, outputs=outputs))
    cells.append(new_markdown_cell(f"*{footer(run)}*"))
    for number, cell in enumerate(cells):  # nbformat's default ids are random
        cell.id = f"cell-{number}"
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    return notebook


# Left out of the search index: a view repeats the listings and outputs of the lesson page
# that quotes its run, and the index, which every page fetches and parses as it loads, is half
# as large without them (Material and Zensical read this front matter).
VIEW_FRONT_MATTER = "---\nsearch:\n  exclude: true\n---\n\n"


def view_page(run: Run) -> str:
    """The notebook view's page, titled by what the example teaches (its docstring's first
    line); the extension renders the whole run where it says so."""
    try:
        docstring = ast.get_docstring(ast.parse(run.script.read_text(encoding="utf-8"))) or ""
    except SyntaxError:
        docstring = ""
    title = docstring.strip().split("\n")[0].rstrip(".") or f"{LESSONS}/{run.name}.py"
    return f"{VIEW_FRONT_MATTER}# {title}\n\n{{{{ notebook: {run.name} }}}}\n"


def publish(run: Run) -> set[str]:
    """Write ``docs/examples/NAME.md`` (the notebook view), ``NAME.ipynb``, ``NAME.py`` and the
    figures, charts and long outputs of the run; return their file names.

    A file whose content would not change is left alone, so a warm build rewrites nothing.
    """
    PUBLISHED.mkdir(parents=True, exist_ok=True)
    for target, content in ((PUBLISHED / f"{run.name}.md", view_page(run).encode()),
                            (PUBLISHED / f"{run.name}.ipynb",
                             (nbformat.writes(to_notebook(run)) + "\n").encode()),
                            (PUBLISHED / f"{run.name}.py", run.script.read_bytes())):
        if target.exists() and target.read_bytes() == content:
            continue
        staged = target.with_name(f".{target.name}.tmp")
        staged.write_bytes(content)
        staged.replace(target)
    return figures.publish(run) | charts.publish(run) | outputs.publish(run)
