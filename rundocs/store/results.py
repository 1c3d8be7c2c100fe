"""Read stored runs: what pages quote and what tests assert on."""

import json
from functools import cached_property
from pathlib import Path

from rundocs.errors import RunError
from rundocs.project import EXAMPLES, LESSONS
from rundocs.run import cells
from rundocs.store import cache


class Run:
    """The stored, verified result of one execution of ``examples/NAME.py``.

    ``name`` is ``NAME``, or ``NAME@BACKEND`` for its run under another back-end.
    """

    def __init__(self, name: str, folder: Path):
        self.name, self.folder = name, folder
        self.example, _, self.backend = name.partition("@")
        self.script = EXAMPLES / f"{self.example}.py"

    @property
    def where(self) -> str:
        """``examples/NAME.py``, and the back-end if it is not the build's own."""
        return f"{LESSONS}/{self.example}.py" + (f" (under {self.backend})" if self.backend else "")

    @cached_property
    def data(self) -> dict:
        return json.loads((self.folder / "result.json").read_text())

    @property
    def values(self) -> dict:
        return self.data["values"]

    @property
    def key(self) -> str:
        return self.folder.name

    def cell(self, cell_id: str) -> dict:
        try:
            return find_cell(self.data["cells"], cell_id)
        except KeyError as error:
            raise RunError(f"{self.where}: {error.args[0]}") from None

    def output(self, cell_id: str | None = None) -> str:
        """Everything the script (or one of its cells) printed, stdout and stderr together."""
        cells = [self.cell(cell_id)] if cell_id else self.data["cells"]
        return "".join(text for c in cells for _, text in c["outputs"])

    def figure_png(self, figure: str) -> bytes:
        if figure not in self.data["figures"]:
            known = ", ".join(self.data["figures"]) or "none"
            raise RunError(f"{self.where} drew no figure '{figure}' (figures: {known})")
        return (self.folder / f"{figure}.png").read_bytes()

    def chart_spec(self, chart: str) -> bytes:
        """The Vega-Lite spec (JSON) of the Altair chart the script left in ``chart``."""
        if chart not in self.data.get("charts", []):
            known = ", ".join(self.data.get("charts", [])) or "none"
            raise RunError(f"{self.where} left no Altair chart '{chart}' (charts: {known})")
        return (self.folder / f"{chart}.vl.json").read_bytes()

    def value(self, path: str):
        """A top-level value of the script, ``name``, ``name.key`` or ``name[index]``.

        ``provenance.KEY`` reads where the run came from (``provenance.hardware.kernels``).
        """
        current, trail = self.values, []
        if path.startswith("provenance.") and "provenance" not in self.values:
            current = {"provenance": self.data["provenance"]}
        for part in path.replace("[", ".[").split("."):
            trail.append(part)
            try:
                if part.startswith("["):
                    current = current[int(part.strip("[]"))]
                else:
                    current = current[part]
            except (KeyError, IndexError, TypeError, ValueError):
                shown = ".".join(trail).replace(".[", "[")
                raise RunError(
                    f"{self.where} has no value '{shown}' "
                    f"(top-level values: {', '.join(sorted(self.values))})"
                ) from None
        return current


def find_cell(cells: list[dict], cell_id: str) -> dict:
    for cell in cells:
        if cell["id"] == cell_id:
            return cell
    raise KeyError(f"no cell '{cell_id}' (cells: {', '.join(c['id'] for c in cells if c['id'])})")


def latest(name: str) -> Run:
    """The run of the example's current source (``NAME`` or ``NAME@BACKEND``).

    RunError says how to produce it if it is missing.
    """
    example, _, backend = name.partition("@")
    script = EXAMPLES / f"{example}.py"
    if not script.exists():
        known = ", ".join(sorted(p.stem for p in EXAMPLES.glob("*.py")))
        raise RunError(f"there is no example {LESSONS}/{example}.py (examples: {known})")
    if backend and backend not in cells.backends(script.read_text()):
        raise RunError(f"{LESSONS}/{example}.py is not run under '{backend}': add "
                       f"`# rundocs: backends={backend}` to it")
    folder = cache.load(script, cache.key(script, backend or None), backend or None)
    if folder is None and "# %%" not in script.read_text():  # as rundocs.store.runner.examples()
        raise RunError(f"{LESSONS}/{example}.py has no `# %%` cells, so it is a helper module, "
                       "not an example, and never runs on its own: add `# %%` markers to it "
                       "to make it an example (see rundocs/run/cells.py)")
    if folder is None:
        raise RunError(
            f"{LESSONS}/{example}.py{f' (under {backend})' if backend else ''} has no run "
            "of its current source: "
            f"run `make build` (or `python -m rundocs run {example}`) first"
        )
    return Run(name, folder)
