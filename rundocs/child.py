"""Execute one example script, cell by cell, and record what it did.

Run as ``python -m rundocs.child SCRIPT OUTDIR`` by the runner, in a process of its own.
The script runs as ``__main__`` with its folder on ``sys.path``, exactly as
``python examples/NAME.py`` would run it. Into OUTDIR go ``result.json`` (each cell's
printed output, the names of its figures, the script's top-level values, warnings and
provenance), one PNG per matplotlib figure, and one ``NAME.vl.json`` (its Vega-Lite spec) per
Altair chart a cell displays as a notebook would: a cell ending in the bare name ``NAME``.
On an exception the traceback goes to stderr and the exit status is 1; ``sys.exit(n)``
passes ``n`` on.
"""

import ast
import io
import json
import math
import os
import platform
import resource
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path

from rundocs import backends, offline
from rundocs.cells import split
from rundocs.lifetime import parent_death_signal

FIGURE_DPI = 100
MAX_ARRAY = 1_000  # larger arrays are not kept as quotable values


class Recorder(io.TextIOBase):
    """A text stream that passes writes on and keeps them as (stream, [pieces]) chunks.

    A write appends a piece, so capturing costs time linear in the output however small the
    writes; :func:`joined` makes each chunk's text once, when the cell ends.
    """

    def __init__(self, name, passthrough, chunks):
        self.name, self.passthrough, self.chunks = name, passthrough, chunks

    def write(self, text):
        self.passthrough.write(text)
        if self.chunks and self.chunks[-1][0] == self.name:
            self.chunks[-1][1].append(text)
        else:
            self.chunks.append([self.name, [text]])
        return len(text)

    def flush(self):
        self.passthrough.flush()

    def isatty(self):
        return False


def joined(chunks):
    """The (stream, text) chunks of what a :class:`Recorder` kept as (stream, [pieces]).

    Called once, as the result is written: a library may keep the cell's stream and write to
    it after the cell ended (a logging handler does), so the pieces stay lists until then.
    """
    return [[name, "".join(pieces)] for name, pieces in chunks]


def die_with_parent():
    """Ask Linux to kill this process when the engine that started it dies, even by SIGKILL."""
    parent = os.environ.get("RUNDOCS_PARENT")
    if not parent:
        return
    parent_death_signal(signal.SIGKILL)()
    if os.getppid() != int(parent):  # the engine died before the request was made
        os._exit(1)


def quotable(value, depth=0):
    """A JSON-ready copy of ``value`` if pages may quote it, else ``None``."""
    if isinstance(value, bool | int | str) or value is None:
        return value if not isinstance(value, str) or len(value) < 10_000 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if depth > 4:
        return None
    if type(value).__name__ == "History":  # what keras' fit() returns
        return quotable(value.history, depth + 1)
    if type(value).__module__ == "numpy":
        if getattr(value, "size", MAX_ARRAY + 1) > MAX_ARRAY:
            return None
        return quotable(value.tolist(), depth + 1)
    if isinstance(value, list | tuple):
        items = [quotable(v, depth + 1) for v in value[:MAX_ARRAY]]
        return items if len(value) <= MAX_ARRAY and None not in items else None
    if isinstance(value, dict):
        items = {str(k): quotable(v, depth + 1) for k, v in value.items()}
        return items if None not in items.values() else None
    return None


def save_png(figure, path):
    """The figure as a 256-colour PNG: a plot needs no more, and it is 60% smaller."""
    from PIL import Image  # matplotlib's own dependency

    drawn = io.BytesIO()
    figure.savefig(drawn, dpi=FIGURE_DPI, bbox_inches="tight")
    image = Image.open(drawn).convert("RGB")
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)


def smallest_text_px(figure):
    """The height in PNG pixels of the smallest text the figure draws (0 if none), so that a
    page can show the figure at a size where a reader can read it."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in figure.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0]
    return round(min(sizes) * FIGURE_DPI / 72, 2) if sizes else 0


def capture_figures(outdir, taken, text_px=None):
    """Save every open matplotlib figure as PNG, close it, and return the new names; the
    smallest text of each goes into ``text_px``."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    names = []
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        name = figure.get_label() or f"figure-{number}"
        while name in taken:
            name += "-again"
        save_png(figure, outdir / f"{name}.png")
        if text_px is not None:
            text_px[name] = smallest_text_px(figure)  # after savefig: the layout is final
        titles = [figure._suptitle.get_text()] if figure._suptitle else []
        titles += [ax.get_title() for ax in figure.axes if ax.get_title()]
        taken[name] = "; ".join(titles) or name
        names.append(name)
        pyplot.close(figure)
    return names


def prepare_matplotlib(source, outdir, taken, state):
    """Make ``plt.show()`` capture figures into the running cell instead of opening windows."""
    if "matplotlib" not in source:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    pyplot.show = lambda *args, **kwargs: state["cell"]["figures"].extend(
        capture_figures(outdir, taken, state.setdefault("text_px", {}))
    )


def displayed_chart(source: str, namespace: dict, outdir: Path) -> list[str]:
    """Save the Altair chart a cell ends with (a bare name, as a notebook shows it), if any."""
    try:
        last = ast.parse(source).body[-1]
    except (SyntaxError, IndexError):
        return []
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Name)):
        return []
    name = last.value.id
    chart = namespace.get(name)
    if not type(chart).__module__.startswith("altair."):
        return []
    try:
        spec = chart.to_dict()
    except Exception as error:  # noqa: BLE001 - Altair's schema errors have many types
        raise ValueError(f"the cell ends with `{name}`, an Altair chart that is not valid "
                         f"Vega-Lite: {error}") from None
    (outdir / f"{name}.vl.json").write_text(json.dumps(spec, separators=(",", ":")))
    return [name]


def provenance(namespace):
    """Versions, device and seed of the run, read after the script ran."""
    facts = {"python": platform.python_version()}
    for module in ("tensorflow", "keras", "numpy", "matplotlib"):
        if module in sys.modules:
            facts[module] = sys.modules[module].__version__
    tf = sys.modules.get("tensorflow")
    facts["device"] = "GPU" if tf and tf.config.list_physical_devices("GPU") else "CPU"
    facts["hardware"] = backends.fingerprint()
    facts["seed"] = namespace.get("SEED")
    if offline.used:
        facts["data"] = offline.used[0]
    return facts


def main(script, outdir):
    die_with_parent()
    script, outdir = Path(script).resolve(), Path(outdir)
    source = script.read_text()
    sys.path.insert(0, str(script.parent))
    sys.argv = [str(script)]
    namespace = {"__name__": "__main__", "__file__": str(script), "__builtins__": __builtins__}
    cells, caught, taken, state, status = [], [], {}, {}, 0
    prepare_matplotlib(source, outdir, taken, state)
    if "keras.datasets.mnist" in source:
        offline.install()
    real_out, real_err = sys.stdout, sys.stderr

    def record_warning(message, category, filename, lineno, file=None, line=None):
        text = warnings.formatwarning(message, category, filename, lineno, line)
        sys.stderr.write(text)
        caught.append({"category": category.__name__, "message": str(message),
                       "filename": filename, "lineno": lineno})

    warnings.simplefilter("default")
    warnings.showwarning = record_warning
    started = time.perf_counter()
    every_cell = split(source)
    last_code = [c for c in every_cell if c.kind == "code"][-1:]
    for cell in every_cell:
        entry = {"kind": cell.kind, "id": cell.id, "source": cell.source, "outputs": [],
                 "figures": []}
        cells.append(entry)
        if cell.kind != "code":
            continue
        state["cell"] = entry
        sys.stdout = Recorder("stdout", real_out, entry["outputs"])
        sys.stderr = Recorder("stderr", real_err, entry["outputs"])
        stopped = False
        try:
            padded = "\n" * (cell.first_line - 1) + cell.source
            exec(compile(padded, str(script), "exec"), namespace)
            entry["charts"] = displayed_chart(cell.source, namespace, outdir)
        except SystemExit as stop:
            stopped = True
            if isinstance(stop.code, str):
                print(stop.code, file=sys.stderr)
            status = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        except BaseException as error:  # noqa: BLE001 - any failure ends the run, loudly
            frames = traceback.TracebackException.from_exception(error)
            frames.stack = traceback.StackSummary.from_list(
                [f for f in frames.stack if f.filename != __file__])
            sys.stderr.write("".join(frames.format()))
            stopped, status = True, 1
        finally:
            sys.stdout.flush(), sys.stderr.flush()
            sys.stdout, sys.stderr = real_out, real_err
        entry["figures"] += capture_figures(outdir, taken, state.setdefault("text_px", {}))
        if stopped and not status and [cell] != last_code:
            named = f"cell '{cell.id}'" if cell.id else "the cell"
            print(f"sys.exit() in {named} (line {cell.first_line}) stopped the run before "
                  "its last cell; a run must reach the end of its script (raise an exception "
                  "or exit with a non-zero status to fail on purpose)", file=sys.stderr)
            status = 1
        if stopped:
            break
    seconds = time.perf_counter() - started
    if status:
        return status
    usage = resource.getrusage(resource.RUSAGE_SELF)
    values = {}
    for name, value in namespace.items():
        if not name.startswith("_"):
            kept = quotable(value)
            if kept is not None:
                values[name] = kept
    result = {
        "script": script.name,
        "cells": [{**cell, "outputs": joined(cell["outputs"])} for cell in cells],
        "figures": taken,
        "figure_text_px": state.get("text_px", {}),
        "charts": [name for c in cells for name in c.get("charts", [])],
        "values": values,
        "warnings": caught,
        "seconds": seconds,
        "peak_memory_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # all threads, start-up included
        "provenance": provenance(namespace),
    }
    (outdir / "result.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
