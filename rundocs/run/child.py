"""Execute one example script, cell by cell, and record what it did.

Run as ``python -m rundocs.run.child SCRIPT OUTDIR`` by the runner, in a process of its own, in a
fresh folder holding only the script and the helper modules it imports: the script runs as
``__main__``, from that folder, exactly as ``python NAME.py`` would run it in an empty folder.
Into OUTDIR go ``result.json`` (each cell's printed output, the names of its figures, the
script's top-level values, warnings and provenance), one PNG per matplotlib figure, and one
``NAME.vl.json`` (its Vega-Lite spec) per Altair chart a cell displays as a notebook would: a
cell ending in the bare name ``NAME``. On an exception the traceback goes to stderr and the
exit status is 1; ``sys.exit(n)`` passes ``n`` on.

Output is taken where the process writes it, file descriptors 1 and 2 (one log file, opened
for appending), so what a C library, ``tf.print`` or a subprocess prints is kept, in order,
beside what Python prints; it is stored as a terminal would show it (see
:mod:`rundocs.run.terminal`).
When the script ends, every process it started and left running is stopped (this process is
their subreaper), and the result says how many.
"""

import ast
import builtins
import fcntl
import io
import json
import os
import platform
import resource
import signal
import stat
import sys
import time
import traceback
import types
import warnings
from pathlib import Path

from rundocs.axes import backends, tensorflow
from rundocs.project import ROOT, TENSORFLOW
from rundocs.run import terminal
from rundocs.run.cells import split
from rundocs.run.lifetime import become_subreaper, parent_death_signal, stop_descendants

# What every run is started with (by the runner; this file is part of every run key): figures
# drawn off-screen, Python's string hashing fixed, UTF-8 input and output whatever the
# machine's locale, and the settings of the kit a project switches on.
ENVIRONMENT = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PYTHONUTF8": "1",
               "PYTHONIOENCODING": "utf-8",
               **(tensorflow.ENVIRONMENT if TENSORFLOW is not None else {})}
FIGURE_DPI = 100
MAX_ARRAY = 1_000  # larger arrays are not kept as quotable values


class Recorder(io.TextIOBase):
    """The example's ``sys.stdout`` or ``sys.stderr``: a UTF-8 text stream written straight to
    file descriptor ``fd`` (the run's log), as a real one is (``buffer``, ``fileno()``,
    ``encoding``), that notes which bytes of the log it wrote.

    ``marks`` gets one [start, end, stream] per run of the log's bytes this stream wrote
    without another write in between, so tiny writes cost no memory of their own.
    """

    encoding, errors, line_buffering = "utf-8", "strict", True

    def __init__(self, fd: int, stream: str, marks: list):
        self.fd, self.stream, self.marks = fd, stream, marks
        self._buffer = open(fd, "wb", closefd=False)  # noqa: SIM115 - the stream's own buffer

    @property
    def name(self):
        return f"<{self.stream}>"

    @property
    def buffer(self):
        return self._buffer

    def fileno(self):
        return self.fd

    def isatty(self):
        return False

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        data = text.encode(self.encoding, self.errors)
        if not data:
            return len(text)
        self._buffer.flush()  # bytes written to .buffer before this text come first
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        end = os.lseek(self.fd, 0, os.SEEK_CUR)  # the log is opened for appending
        last = self.marks[-1] if self.marks else None
        if last and last[2] == self.stream and last[1] == end - len(data):
            last[1] = end
        else:
            self.marks.append([end - len(data), end, self.stream])
        return len(text)

    def flush(self):
        self._buffer.flush()


def log_offset() -> int:
    """How many bytes the run's log holds now, everything buffered in Python written first."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # a stream the example replaced or closed
            pass
    return os.lseek(1, 0, os.SEEK_END)


def own_log(outdir: Path) -> None:
    """Make descriptors 1 and 2 one log this process can read back: the runner's (a regular
    file opened to read and append), or else a new ``OUTDIR/run.log``."""
    flags = fcntl.fcntl(1, fcntl.F_GETFL)
    if (stat.S_ISREG(os.fstat(1).st_mode) and flags & os.O_APPEND
            and flags & os.O_ACCMODE == os.O_RDWR and os.path.sameopenfile(1, 2)):
        return
    log = os.open(outdir / "run.log", os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log, 1), os.dup2(log, 2), os.close(log)


def chunks(start: int, end: int, marks: list) -> list[list]:
    """The log's bytes ``start`` to ``end`` as [stream, text] chunks, shown as a terminal shows
    them: what a :class:`Recorder` wrote under its stream, anything else (a C library, a
    subprocess) as stdout."""
    pieces, at = [], start
    for first, last, stream in marks:
        first, last = max(first, start), min(last, end)
        if last <= first:
            continue
        if first > at:
            pieces.append(["stdout", at, first])
        pieces.append([stream, first, last])
        at = last
    if at < end:
        pieces.append(["stdout", at, end])
    merged = []
    for stream, first, last in pieces:
        if merged and merged[-1][0] == stream:
            merged[-1][2] = last
        else:
            merged.append([stream, first, last])
    return [[stream, terminal.shown(os.pread(1, last - first, first).decode("utf-8", "replace"))]
            for stream, first, last in merged]


def die_with_parent():
    """Ask Linux to kill this process when the engine that started it dies, even by SIGKILL."""
    parent = os.environ.get("RUNDOCS_PARENT")
    if not parent:
        return
    parent_death_signal(signal.SIGKILL)()
    if os.getppid() != int(parent):  # the engine died before the request was made
        os._exit(1)


SKIP = object()  # what quotable() gives for a value pages may not quote (None may be quoted)


def quotable(value, depth=0):
    """A JSON-ready copy of ``value`` if pages may quote it, else ``SKIP``.

    Floats stay floats, NaN and infinity included (JSON's ``NaN`` and ``Infinity``, which
    Python reads back as floats), so that checks compare them as IEEE numbers.
    """
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str):
        return value if len(value) < 10_000 and _utf8(value) else SKIP
    if depth > 4:
        return SKIP
    if type(value).__name__ == "History":  # what keras' fit() returns
        return quotable(value.history, depth + 1)
    if type(value).__module__ == "numpy":
        if getattr(value, "size", MAX_ARRAY + 1) > MAX_ARRAY:
            return SKIP
        return quotable(value.tolist(), depth + 1)
    if isinstance(value, list | tuple):
        items = [quotable(v, depth + 1) for v in value[:MAX_ARRAY]]
        return items if len(value) <= MAX_ARRAY and SKIP not in items else SKIP
    if isinstance(value, dict):
        items = {str(k): quotable(v, depth + 1) for k, v in value.items()}
        return items if SKIP not in items.values() and all(map(_utf8, items)) else SKIP
    return SKIP


def _utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a lone surrogate cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


def prepare_matplotlib(source, outdir, state):
    """Make ``plt.show()`` capture figures into the running cell instead of opening windows."""
    if "matplotlib" not in source:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    pyplot.show = lambda *args, **kwargs: state["cell"]["figures"].extend(
        capture_figures(outdir, state["taken"], state["text_px"]))


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
    for module in ("numpy", "matplotlib"):
        if module in sys.modules:
            facts[module] = sys.modules[module].__version__
    facts["device"] = "CPU"
    if TENSORFLOW is not None:  # TensorFlow's and Keras' versions, a GPU, the data's source
        facts.update(tensorflow.provenance())
    facts["hardware"] = backends.fingerprint()
    facts["seed"] = namespace.get("SEED")
    return facts


def as_main(script: Path) -> dict:
    """A fresh ``__main__`` module for ``script``, as ``python NAME.py`` makes it (so that
    pickle and multiprocessing find the classes and functions it defines); its namespace."""
    module = types.ModuleType("__main__")
    module.__file__, module.__builtins__ = str(script), builtins
    sys.modules["__main__"] = module
    sys.argv = [script.name]
    sys.path.insert(0, str(script.parent))
    return module.__dict__


def unplaced(text: str) -> str:
    """``text`` without the run's own folder (and the project's) in its paths: a page shows
    ``NAME.py``, never where some machine ran it."""
    for folder in (Path.cwd(), ROOT):
        text = text.replace(f"{folder}{os.sep}", "").replace(str(folder), ".")
    return text


def run_cells(every_cell, script, source, outdir, namespace, state) -> tuple[list, int]:
    """Execute the code cells in order until one fails or exits: (cells, exit status).

    Each cell gets the log's offset where it began, as ``start``.
    """
    cells, status, last_code = [], 0, [c for c in every_cell if c.kind == "code"][-1:]
    for cell in every_cell:
        entry = {"kind": cell.kind, "id": cell.id, "source": cell.source, "outputs": [],
                 "figures": []}
        cells.append(entry)
        if cell.kind != "code":
            continue
        state["cell"], entry["start"] = entry, log_offset()
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
        entry["figures"] += capture_figures(outdir, state["taken"], state["text_px"])
        if stopped and not status and [cell] != last_code:
            named = f"cell '{cell.id}'" if cell.id else "the cell"
            print(f"sys.exit() in {named} (line {cell.first_line}) stopped the run before "
                  "its last cell; a run must reach the end of its script (raise an exception "
                  "or exit with a non-zero status to fail on purpose)", file=sys.stderr)
            status = 1
        if stopped:
            break
    return cells, status


def main(script, outdir):
    die_with_parent()
    become_subreaper()
    script, outdir = Path(script).absolute(), Path(outdir).absolute()
    own_log(outdir)
    source = script.read_text(encoding="utf-8")
    namespace = as_main(script)
    marks, caught, state = [], [], {"taken": {}, "text_px": {}}
    sys.stdout, sys.stderr = Recorder(1, "stdout", marks), Recorder(2, "stderr", marks)
    prepare_matplotlib(source, outdir, state)
    if TENSORFLOW is not None:
        tensorflow.prepare(source)

    def record_warning(message, category, filename, lineno, file=None, line=None):
        text = warnings.formatwarning(message, category, filename, lineno, line)
        sys.stderr.write(text)
        caught.append({"category": category.__name__, "message": unplaced(str(message)),
                       "filename": unplaced(filename), "lineno": lineno})

    warnings.simplefilter("default")
    warnings.showwarning = record_warning
    started = time.perf_counter()
    try:
        cells, status = run_cells(split(source), script, source, outdir, namespace, state)
    finally:
        stopped = stop_descendants()
        end = log_offset()
        if stopped:
            print(f"rundocs: stopped {stopped} process{'es' * (stopped > 1)} the example "
                  "left running", file=sys.__stderr__, flush=True)
    seconds = time.perf_counter() - started
    code = [c for c in cells if "start" in c]
    for cell, after in zip(code, [c["start"] for c in code[1:]] + [end]):
        cell["outputs"] = [[stream, unplaced(text)]
                           for stream, text in chunks(cell.pop("start"), after, marks)]
    if status:
        return status
    usage = resource.getrusage(resource.RUSAGE_SELF)
    values = {}
    for name, value in namespace.items():
        if not name.startswith("_"):
            kept = quotable(value)
            if kept is not SKIP:
                values[name] = kept
    result = {
        "script": script.name,
        "cells": cells,
        "figures": state["taken"],
        "figure_text_px": state["text_px"],
        "charts": [name for c in cells for name in c.get("charts", [])],
        "values": values,
        "warnings": caught,
        "stopped_processes": stopped,
        "seconds": seconds,
        "peak_memory_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # all threads, start-up included
        "provenance": provenance(namespace),
    }
    (outdir / "result.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
