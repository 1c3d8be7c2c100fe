"""The engine under an author's bad day (issue 22): each fault on a small made-up example."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import markdown
import psutil
import pytest

import rundocs.__main__ as cli
from rundocs.axes.tensorflow import offline
from rundocs.errors import RunError
from rundocs.pages import checks
from rundocs.pages.markdown import RunsExtension
from rundocs.pages.references.tables import claim_row
from rundocs.pages.text import table
from rundocs.project import ROOT
from rundocs.publish import figures
from rundocs.store import cache, runner
from rundocs.store.results import latest
from rundocs.store.runner import run_one

EVIL = "<script>alert(1)</script> & \"quoted\""

HOSTILE = f"""\
# %% a
import matplotlib.pyplot as plt
evil = {EVIL!r}
rows = [{{"claim": evil, "verdict": evil}}]
plt.figure("drawn")
plt.plot([1, 2])
plt.title(evil)
plt.show()
"""


def render(text):
    return markdown.Markdown(extensions=[RunsExtension(), "fenced_code", "attr_list", "tables",
                                         "pymdownx.blocks.caption"]).convert(text)


def test_run_values_holding_html_are_escaped_in_every_reference(cli_sandbox):
    run_one(cli_sandbox("hostile", HOSTILE))
    figures.publish(latest("hostile"))
    pages = {
        "inline": "The value is {{ hostile.evil }}.\n",
        "table": "{{ table: hostile.rows }}\n",
        "figure": "{{ figure: hostile/drawn }}\nalt: Shows {{ hostile.evil }}.\n"
                  "caption: Look at {{ hostile.evil }}.\n",
        "notebook": "{{ notebook: hostile }}\n",  # its caption is the figure's title
    }
    for kind, page in pages.items():
        html = render(page)
        assert "<script>" not in html, kind
        assert "&lt;script&gt;" in html, kind
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;</td>" in render(
        pages["table"])
    assert 'alt="Shows &lt;script&gt;' in render(pages["figure"])  # escaped once, not twice


def test_a_value_in_a_code_span_is_escaped_once(sandbox):
    run_one(sandbox("coded", "# %% a\nshape = '<32, 1> & more'\n"))
    html = render("Shape `{{ coded.shape }}`, or {{ coded.shape }}.\n")
    assert html == ("<p>Shape <code>&lt;32, 1&gt; &amp; more</code>, "
                    "or &lt;32, 1&gt; &amp; more.</p>")


def test_links_the_engine_builds_in_a_claims_table_stay_links():
    rows = [claim_row({"claim": EVIL, "verdict": "holds"}, "[hostile](examples/hostile.md)")]
    html = markdown.Markdown(extensions=["tables"]).convert("\n".join(table(rows, "claims")))
    assert '<a href="examples/hostile.md">hostile</a>' in html and "<script>" not in html


def test_numbers_and_plain_text_render_as_before(sandbox):
    run_one(sandbox("plain", "# %% a\nx = 0.123456\nname = 'plain words'\n"))
    assert render("{{ plain.x }} {{ plain.x:.1% }} {{ plain.name }}") == (
        "<p>0.1235 12.3% plain words</p>")


def test_table_headers_keep_their_capitals():
    html = markdown.Markdown(extensions=["tables"]).convert("\n".join(table(
        [{"CPU time (s)": 1, "peak memory (MB)": 2, "end_loss": 3}], "timings")))
    assert "<th>CPU time (s)</th>" in html and "<th>Peak memory (MB)</th>" in html
    assert "<th>End loss</th>" in html


def test_a_syntax_error_is_one_message_and_the_other_examples_still_publish(
        cli_sandbox, tmp_path, capsys):
    cli_sandbox("good", "# %% a\nx = 1\n")
    cli_sandbox("bad", "# %% a\nx = 1\n\n# %% b\ny = (1,\n")
    assert cli.main(["run", "--jobs", "1", "good", "bad"]) == 1
    error = capsys.readouterr().err
    assert "examples/bad.py, line 5" in error and "Traceback" not in error
    assert latest("good").value("x") == 1
    assert (tmp_path / "published" / "good.md").exists()
    assert not (tmp_path / "published" / "bad.md").exists()


def test_serve_survives_an_edit_that_breaks_anything(monkeypatch, capsys):
    from rundocs.commands import serve

    def broken(*args, **kwargs):
        raise SyntaxError("invalid syntax")

    monkeypatch.setattr(serve, "update", broken)
    monkeypatch.setattr(serve, "examples", lambda: [Path("examples/any.py")])
    serve.rerun({"any"})  # prints, does not raise
    assert "keep showing the last good run" in capsys.readouterr().err


def test_an_exit_before_the_last_cell_fails_naming_the_cell(sandbox):
    script = sandbox("leaves", "# %% first\nimport sys\nsys.exit(0)\n\n# %% second\nx = 1\n")
    with pytest.raises(RunError, match=r"sys\.exit\(\) in cell 'first' \(line 2\)"):
        run_one(script)


def test_an_exit_in_the_last_cell_is_a_normal_end(sandbox):
    run_one(sandbox("ends", "# %% first\nx = 1\n\n# %% last\nimport sys\nsys.exit(0)\n"))
    assert latest("ends").value("x") == 1


@pytest.mark.parametrize("name", ["../outside/evil", "{outside}/evil", "sub/evil"])
def test_a_name_outside_examples_is_refused(cli_sandbox, tmp_path, capsys, name):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "evil.py").write_text("# %% a\nx = 1\n")
    (tmp_path / "examples" / "sub").mkdir()
    (tmp_path / "examples" / "sub" / "evil.py").write_text("# %% a\nx = 1\n")
    assert cli.main(["run", "--no-publish", name.format(outside=tmp_path / "outside")]) == 1
    assert "is not an example's name" in capsys.readouterr().err
    assert not cli_sandbox.runs.exists()


def test_force_replaces_the_stored_run(sandbox):
    script = sandbox("fresh", "# %% a\nimport os\ntoken = os.urandom(8).hex()\n")
    run_one(script)
    before = latest("fresh").value("token")
    assert run_one(script, force=True).why == "--force"
    assert latest("fresh").value("token") != before
    assert [p.name for p in (sandbox.runs / "fresh").iterdir() if p.is_dir()] == [
        cache.key(script)]  # the old entry and the staging folder are gone


def test_capture_keeps_small_writes_without_a_record_each(tmp_path):
    from rundocs.run.child import Recorder

    marks, log = [], os.open(tmp_path / "log", os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        out, err = Recorder(log, "stdout", marks), Recorder(log, "stderr", marks)
        for _ in range(100_000):
            out.write("x" * 10)  # 1 MB in small writes: one mark, not 100,000
        err.write("e")
        out.write("z")
        assert marks == [[0, 1_000_000, "stdout"], [1_000_000, 1_000_001, "stderr"],
                         [1_000_001, 1_000_002, "stdout"]]
    finally:
        os.close(log)


@pytest.mark.parametrize(("check", "complaint"), [
    ("'x' * 10000000000", "would build a sequence"),
    ("[0] * 3000000", "would build a sequence"),
    ("len(['ab'] * 600000 + ['c'] * 600000) > 0", "builds a value of 1,200,000 items"),
    ("sum([[1] * 1000] * 1000, []) == []", "adds numbers only"),
    ("-" * 500 + "1 == 1", "nests deeper"),
    ("1" + " + 1" * 3000 + " > 0", "too long"),
])
def test_a_check_is_bounded_in_size_and_depth(check, complaint):
    with pytest.raises(RunError, match=complaint) as error:
        checks.evaluate(check, lambda name, path: 1)
    assert "the check `" in str(error.value)


def test_a_string_literal_in_a_check_is_left_alone():
    values = {("run@sse41", "x"): 2, ("run", "x"): 1}
    assert checks.evaluate("len('a@b') == 3 and run@sse41.x == 2", lambda n, p: values[n, p])[0]
    assert checks.evaluate('"run@sse41.x" != run.x', lambda n, p: values[n, p])[0]


DRIVER = """\
import sys
from pathlib import Path
import rundocs.__main__ as cli
from rundocs.store import cache, results, runner
examples = Path(sys.argv[1])
cache.RUNS, results.EXAMPLES = Path(sys.argv[2]), examples
cli.EXAMPLES = runner.EXAMPLES = examples
sys.exit(cli.main(["run", "--no-publish", *sys.argv[3:]]))
"""

SLEEPER = """\
# %% a
import os
import time
from pathlib import Path
Path({pid_file!r}).write_text(str(os.getpid()))
time.sleep(300)
"""


def interruptible():
    """In a child about to start: take Ctrl-C's default back. A shell that starts a job in the
    background (as a CI runner may) makes it ignore SIGINT, and its children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] not in "ZX"
    except FileNotFoundError:
        return False


def until(condition, seconds=60):
    """Wait (generously: this is not a timing test) for ``condition`` to become true."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


@pytest.fixture
def sleeping(sandbox, tmp_path):
    """An engine process running an example that sleeps; yields (engine, the example's pid)."""
    pid_file = tmp_path / "pid"
    sandbox("sleeper", SLEEPER.format(pid_file=str(pid_file)))
    (tmp_path / "driver.py").write_text(DRIVER)
    engine = subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "examples"),
         str(tmp_path / "runs"), "sleeper"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=interruptible)
    pid = None
    try:
        assert until(lambda: pid_file.exists() and pid_file.read_text()), engine.stderr.read()
        pid = int(pid_file.read_text())
        yield engine, pid
    finally:
        engine.kill()
        engine.wait()
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_the_example_dies_with_a_killed_engine(sleeping):
    engine, pid = sleeping
    engine.kill()
    engine.wait()
    assert until(lambda: not alive(pid)), "the example outlived the engine"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_ctrl_c_stops_the_example_and_prints_one_line(sleeping):
    engine, pid = sleeping
    engine.send_signal(signal.SIGINT)
    _, err = engine.communicate(timeout=60)  # the example would sleep for 300 s
    assert engine.returncode == 130
    assert "Traceback" not in err and err.strip().splitlines() == [
        "rundocs: interrupted; the running examples were stopped and nothing of theirs "
        "was stored"]
    assert until(lambda: not alive(pid))


def test_an_example_killed_for_memory_says_so(sandbox):
    script = sandbox("hog", "# %% a\nimport os, signal\nblock = bytearray(50 * 2**20)\n"
                            "os.kill(os.getpid(), signal.SIGKILL)\n")
    with pytest.raises(RunError) as error:
        run_one(script)
    message = str(error.value)
    assert "killed by signal 9 (SIGKILL), most likely for memory; peak " in message
    assert int(message.split("; peak ")[1].split(" MB")[0]) >= 50


def test_an_example_over_its_memory_cap_is_stopped_and_named(sandbox):
    script = sandbox("greedy", "# rundocs: memory=200\n# %% a\nimport time\n"
                               "blocks = []\nfor _ in range(60):\n"
                               "    blocks.append(bytearray(10 * 2**20))\n    time.sleep(0.05)\n")
    with pytest.raises(RunError) as error:
        run_one(script)
    message = str(error.value)
    assert message.startswith("examples/greedy.py held ")
    assert "over its memory cap of 200 MB (`# rundocs: memory=200`), and was stopped" in message
    held = int(message.split(" held ")[1].split(" MB")[0])
    assert 200 < held < 600  # stopped near the cap, long before the 600 MB it asked for
    assert not list(cache.RUNS.glob("greedy*/result.json"))  # nothing of it was stored


def test_an_example_under_its_memory_cap_runs(sandbox, tmp_path):
    """Run by the command, as a build runs it: Linux counts the high-water memory of the process
    that starts a run into the run's own peak, and this test process may hold TensorFlow."""
    sandbox("modest", "# rundocs: memory=500\n# %% a\nblock = bytearray(10 * 2**20)\n")
    done = subprocess.run(
        [sys.executable, "-m", "rundocs", "run", "--no-publish", "modest"], cwd=ROOT,
        env={**os.environ, "RUNDOCS_EXAMPLES": str(tmp_path / "examples"),
             "RUNDOCS_RUNS": str(sandbox.runs)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert latest("modest").data["peak_memory_mb"] < 500


def test_a_damaged_mnist_copy_says_run_make_data(tmp_path, monkeypatch):
    import numpy as np

    copy = tmp_path / "mnist.npz"
    np.savez(copy, **{name: np.arange(100, dtype=np.uint8) for name in offline.ARRAYS})
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte flipped
    copy.write_bytes(bytes(data))
    monkeypatch.setattr(offline, "COPY", copy)
    with pytest.raises(RunError, match="is not the MNIST this project pinned.*run `make data`"):
        offline.load_data()


SERVE_DRIVER = """\
import sys
from pathlib import Path
from rundocs.commands import serve
stub = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(300)"
serve.SERVER = [sys.executable, "-c", stub, sys.argv[1]]
serve.EXAMPLES = Path(sys.argv[2])  # an empty folder: nothing is re-run
sys.exit(serve.serve("127.0.0.1:0"))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_serve_takes_its_server_down_however_it_ends(tmp_path, stop):
    pid_file, watched = tmp_path / "server-pid", tmp_path / "watched"
    watched.mkdir()
    (tmp_path / "driver.py").write_text(SERVE_DRIVER)
    serving = subprocess.Popen([sys.executable, str(tmp_path / "driver.py"), str(pid_file),
                                str(watched)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               preexec_fn=interruptible)
    pid = None
    try:
        assert until(lambda: pid_file.exists() and pid_file.read_text())
        pid = int(pid_file.read_text())
        serving.send_signal(stop)
        _, err = serving.communicate(timeout=60)
        assert "Traceback" not in err
        assert until(lambda: not alive(pid)), "the server outlived `rundocs serve`"
    finally:
        serving.kill()
        serving.wait()
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_an_overwritten_figure_is_published_again(sandbox, tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "FOLDER", tmp_path / "figures")
    run_one(sandbox("drawn", "# %% a\nimport matplotlib.pyplot as plt\nplt.figure('f')\n"
                             "plt.plot([0, 1])\n"))
    (name,) = figures.publish(latest("drawn"))
    (tmp_path / "figures" / name).write_bytes(b"not the figure")
    figures.publish(latest("drawn"))
    assert (tmp_path / "figures" / name).read_bytes() == latest("drawn").figure_png("f")


def test_a_warm_build_says_so_in_one_line(sandbox, capsys):
    scripts = [sandbox(name, "# %% a\nx = 1\n") for name in ("one", "two", "three")]
    runner.run_all(scripts, jobs=2)
    lines = sorted(capsys.readouterr().out.splitlines())
    assert [line.split(" (")[0] for line in lines] == ["   ran one", "   ran three", "   ran two"]
    runner.run_all(scripts, jobs=3)
    assert capsys.readouterr().out == "all 3 runs up to date (cached): nothing ran\n"


def test_an_error_names_the_line_in_the_file_of_a_page_with_front_matter(
        sandbox, tmp_path, monkeypatch):
    from rundocs.pages import markdown as extension

    monkeypatch.setattr(extension, "PAGES", tmp_path / "docs")
    (tmp_path / "docs").mkdir()
    run_one(sandbox("plain", "# %% a\nx = 1\n"))
    body = "# Title\n\nThe value is {{ plain.x }}.\n\nAnd {{ plain.nothing }}.\n"
    (tmp_path / "docs" / "page.md").write_text("---\ntitle: A page\nhide: [toc]\n---\n\n" + body)
    with pytest.raises(RunError, match=r"^line 10: And \{\{ plain\.nothing \}\}"):
        render(body)  # what a builder passes on: the page without its front matter


LATE_WRITER = """\
# %% first
import logging
import sys
handler = logging.StreamHandler(sys.stderr)  # keeps this cell's stream
log = logging.getLogger("late")
log.addHandler(handler)
print("first")
# %% second
log.warning("written to the first cell's stream, after that cell ended")
print("second")
"""


def test_a_stream_kept_after_its_cell_ended_shows_its_text_where_it_was_written(sandbox):
    run_one(sandbox("late", LATE_WRITER))
    cells = latest("late").data["cells"]
    assert all(isinstance(text, str) for c in cells for _, text in c["outputs"])
    assert cells[0]["outputs"] == [["stdout", "first\n"]]  # as a terminal shows it, in order
    assert cells[1]["outputs"] == [
        ["stderr", "written to the first cell's stream, after that cell ended\n"],
        ["stdout", "second\n"]]


def test_a_killed_matrix_takes_its_runs_and_their_examples_with_it(sandbox, tmp_path):
    """``kill`` on check-backends (one SIGTERM, no terminal to signal the whole group) stops
    the ``rundocs run`` it started and the example that run started."""
    pid_file = tmp_path / "pid"
    sandbox("sleeper", SLEEPER.format(pid_file=str(pid_file)))
    matrix = subprocess.Popen(
        [sys.executable, "-m", "rundocs.commands.matrix", "--backends=default", "sleeper"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "RUNDOCS_EXAMPLES": str(tmp_path / "examples"),
             "RUNDOCS_RUNS": str(sandbox.runs)})
    example, runs = None, []
    try:
        assert until(lambda: pid_file.exists() and pid_file.read_text())
        example = int(pid_file.read_text())
        runs = [p for p in psutil.Process(matrix.pid).children(recursive=True)
                if "rundocs" in " ".join(p.cmdline()) and " run" in " ".join(p.cmdline())]
        assert runs
        matrix.terminate()
        matrix.wait(timeout=30)
        assert until(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE
                                     for p in runs), 30)
        assert until(lambda: not alive(example), 30)
    finally:
        for process in [matrix, *runs]:
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(process.pid).kill()
        matrix.wait()
        if example and alive(example):
            os.kill(example, signal.SIGKILL)
