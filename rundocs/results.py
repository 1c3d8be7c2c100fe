"""Read stored runs: what pages quote and what tests assert on."""

import base64
import json
from functools import cached_property
from pathlib import Path

from rundocs import EXAMPLES, cache
from rundocs.errors import RunError


class Run:
    """The stored, verified result of one execution of ``examples/NAME.py``."""

    def __init__(self, name: str, folder: Path):
        self.name, self.folder = name, folder
        self.script = EXAMPLES / f"{name}.py"

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
            raise RunError(f"examples/{self.name}.py: {error.args[0]}") from None

    def output(self, cell_id: str | None = None) -> str:
        """Everything the script (or one of its cells) printed, stdout and stderr together."""
        cells = [self.cell(cell_id)] if cell_id else self.data["cells"]
        return "".join(text for c in cells for _, text in c["outputs"])

    def figure_png(self, figure: str) -> bytes:
        if figure not in self.data["figures"]:
            known = ", ".join(self.data["figures"]) or "none"
            raise RunError(f"examples/{self.name}.py drew no figure '{figure}' (figures: {known})")
        return (self.folder / f"{figure}.png").read_bytes()

    def figure_data_uri(self, figure: str) -> str:
        return "data:image/png;base64," + base64.b64encode(self.figure_png(figure)).decode()

    def value(self, path: str):
        """A top-level value of the script, ``name``, ``name.key`` or ``name[index]``."""
        current, trail = self.values, []
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
                    f"examples/{self.name}.py has no value '{shown}' "
                    f"(top-level values: {', '.join(sorted(self.values))})"
                ) from None
        return current


def find_cell(cells: list[dict], cell_id: str) -> dict:
    for cell in cells:
        if cell["id"] == cell_id:
            return cell
    raise KeyError(f"no cell '{cell_id}' (cells: {', '.join(c['id'] for c in cells if c['id'])})")


def latest(name: str) -> Run:
    """The run of the example's current source; RunError says how to produce it if missing."""
    script = EXAMPLES / f"{name}.py"
    if not script.exists():
        known = ", ".join(sorted(p.stem for p in EXAMPLES.glob("*.py")))
        raise RunError(f"there is no example examples/{name}.py (examples: {known})")
    folder = cache.load(script, cache.key(script))
    if folder is None:
        raise RunError(
            f"examples/{name}.py has no run of its current source: "
            f"run `make build` (or `python -m rundocs run {name}`) first"
        )
    return Run(name, folder)
