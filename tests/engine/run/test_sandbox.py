"""An example runs under the engine as it runs alone, and nothing it does escapes its run
(issue 34): each fault on a small made-up example."""

import math
import os
import re
import subprocess
import sys
import time
import tracemalloc

import pytest

from rundocs.errors import RunError
from rundocs.project import ROOT
from rundocs.store import cache
from rundocs.store.results import latest
from rundocs.store.runner import run_one, tail


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is not running
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def output(name: str, cell: int = 0) -> str:
    return "".join(text for _, text in latest(name).data["cells"][cell]["outputs"])


def test_an_example_runs_in_an_empty_folder_of_its_own(sandbox, tmp_path):
    before = sorted(p.name for p in ROOT.iterdir())
    run_one(sandbox("writer", """\
# %%
import os
import subprocess
import sys
print(sorted(os.listdir(".")))
with open("checkpoint.weights.txt", "w") as out:
    out.write("w")
os.chdir("..")
with open("outside.txt", "w") as out:
    out.write("x")
print(os.getcwd())
print(__file__)
"""))
    shown = output("writer")
    assert shown.startswith("['writer.py']\n")  # the script, as a reader's download folder
    assert str(ROOT) not in shown and str(tmp_path) not in shown and "/tmp" not in shown
    assert sorted(p.name for p in ROOT.iterdir()) == before
    assert sorted(p.name for p in (tmp_path / "examples").iterdir()) == ["writer.py"]


def test_output_below_python_is_kept_in_order(sandbox):
    run_one(sandbox("below", """\
# %%
import os, subprocess, sys
print("one")
os.system("echo two")
subprocess.run(["echo", "three"])
os.write(1, b"four\\n")
sys.stdout.buffer.write(b"five\\n")
sys.stdout.buffer.flush()
print("six", file=sys.stderr)
print(sys.stdout.fileno(), sys.stderr.fileno(), sys.stdout.encoding, sys.stdout.isatty())
"""))
    cell = latest("below").data["cells"][0]["outputs"]
    assert "".join(text for _, text in cell) == "one\ntwo\nthree\nfour\nfive\nsix\n1 2 utf-8 False\n"
    assert ["stderr", "six\n"] in cell


def test_tf_print_is_kept_whatever_its_stream_and_inside_a_tf_function(sandbox):
    run_one(sandbox("tfprint", """\
# %%
import sys
import tensorflow as tf
tf.print("default stream")
tf.print("to stdout", output_stream=sys.stdout)


@tf.function
def step(x):
    tf.print("inside a graph", x)
    return x + 1


step(tf.constant(1))
print("after")
"""))
    assert output("tfprint") == "default stream\nto stdout\ninside a graph 1\nafter\n"


def test_output_is_stored_as_a_terminal_shows_it(sandbox):
    run_one(sandbox("screen", """\
# %%
for percent in (10, 50, 100):
    print(f"\\rtraining {percent:3d}%", end="")
print()
print("\\x1b[1;31mred\\x1b[0m and\\x00 plain\\tcolumns\\r\\n", end="")
print("abc\\b\\bX")
"""))
    assert output("screen") == "training 100%\nred and plain\tcolumns\naXc\n"


def test_the_example_is_main_for_pickle_and_multiprocessing(sandbox):
    run_one(sandbox("mainly", """\
# %%
import multiprocessing
import pickle


class Weights:
    def __init__(self, w):
        self.w = w


def square(x):
    return x * x


copied = pickle.loads(pickle.dumps(Weights(3))).w
with multiprocessing.get_context("fork").Pool(2) as pool:
    squares = pool.map(square, [1, 2, 3])
"""))
    assert latest("mainly").values["copied"] == 3
    assert latest("mainly").values["squares"] == [1, 4, 9]


LEAVER = """\
# %%
import os, subprocess, sys
plain = subprocess.Popen(["sleep", "300"]).pid
session = subprocess.Popen(["sleep", "301"], start_new_session=True).pid
reader, writer = os.pipe()
if os.fork() == 0:  # a daemon: fork twice, the middle one exits at once
    if os.fork() == 0:
        os.write(writer, str(os.getpid()).encode())
        os.setsid()
        time_left = os.system("sleep 302")
    os._exit(0)
os.close(writer)
daemon = int(os.read(reader, 20))
print(plain, session, daemon)
"""


def test_no_process_outlives_its_run_and_the_run_says_how_many_it_stopped(sandbox, capsys):
    outcome = run_one(sandbox("leaver", LEAVER))
    printed = latest("leaver").data["cells"][0]["outputs"]
    pids = [int(p) for stream, text in printed if stream == "stdout" for p in text.split()]
    time.sleep(0.2)
    assert not any(alive(pid) for pid in pids)
    assert outcome.stopped >= 3  # the daemon's shell counts too
    assert latest("leaver").data["stopped_processes"] == outcome.stopped


def test_no_process_outlives_a_failed_run(sandbox, tmp_path):
    script = sandbox("failer", LEAVER.replace('print(plain, session, daemon)', f'''\
open({str(tmp_path / "pids")!r}, "w").write(f"{{plain}} {{session}} {{daemon}}")
raise ValueError("on purpose")'''))
    with pytest.raises(RunError, match=r"stopped \d processes the example left running"):
        run_one(script)
    time.sleep(0.2)
    assert not any(alive(int(pid)) for pid in (tmp_path / "pids").read_text().split())


def test_output_past_its_limit_stops_the_run_with_one_message(sandbox):
    script = sandbox("chatty", '# rundocs: output=1\n# %%\nwhile True:\n    print("x" * 999)\n')
    with pytest.raises(RunError, match=r"printed more than 1 MB and was stopped.*output=N"):
        run_one(script)


def test_a_failed_log_is_read_from_its_end_only(tmp_path):
    log = tmp_path / "run.log"
    with open(log, "wb") as out:
        out.truncate(4 * 2**30)  # 4 GB of nothing (a sparse file) before the end that matters
        out.seek(0, os.SEEK_END)
        out.write(b"\nTraceback\nValueError: last\n")
    tracemalloc.start()
    try:
        assert tail(log, 2) == "Traceback\nValueError: last"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_values_keep_their_type_nan_and_infinity_included(sandbox):
    run_one(sandbox("typed", """\
# %%
nan, inf, low = float("nan"), float("inf"), float("-inf")
losses = [1.0, float("nan")]
settings = {"clip": None, "rate": 0.1}
"""))
    values = latest("typed").values
    assert math.isnan(values["nan"]) and values["inf"] == math.inf and values["low"] == -math.inf
    assert values["losses"][0] == 1.0 and math.isnan(values["losses"][1])
    assert values["settings"] == {"clip": None, "rate": 0.1}  # a None no longer drops it


def test_sources_are_utf8_whatever_the_locale(sandbox, monkeypatch):
    for name, value in (("LC_ALL", "C"), ("PYTHONCOERCECLOCALE", "0"), ("PYTHONUTF8", "0"),
                        ("PYTHONIOENCODING", "ascii")):
        monkeypatch.setenv(name, value)
    run_one(sandbox("accents", '# %%\nspread = "±0.0001"\nprint("spread", spread, "é")\n'))
    assert output("accents") == "spread ±0.0001 é\n"
    assert latest("accents").values["spread"] == "±0.0001"


def test_the_engine_speaks_in_an_ascii_locale_without_a_traceback():
    ascii_only = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
                  "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-m", "rundocs", "run", "é"], cwd=ROOT,
                          env=ascii_only, capture_output=True, text=True, errors="replace")
    assert done.returncode == 1
    assert done.stderr.startswith("rundocs: '\\udcc3\\udca9' is not an example's name")
    assert done.stderr.count("\n") == 1  # one line, no traceback


def test_a_lone_surrogate_fails_as_it_does_alone_and_is_never_stored(sandbox):
    run_one(sandbox("kept", '# %%\nbroken = "\\ud800"\nfine = "ok"\n'))
    assert "broken" not in latest("kept").values and latest("kept").values["fine"] == "ok"
    with pytest.raises(RunError, match="surrogates not allowed"):
        run_one(sandbox("printed", '# %%\nprint("\\ud800")\n'))


@pytest.mark.parametrize(("name", "complaint"), [
    ("numpy", "named like the module `numpy`"),
    ("random", "named like the module `random`"),
    ("zz-hyphen", "must be a Python identifier"),
])
def test_a_bad_example_name_is_refused_in_one_message(sandbox, name, complaint):
    with pytest.raises(RunError, match=complaint):
        run_one(sandbox(name, "# %%\nx = 1\n"))


def test_a_file_named_like_a_module_never_stands_in_for_it(sandbox):
    sandbox("numpy", "# %%\nraise ImportError('the wrong numpy')\n")
    run_one(sandbox("lesson", "# %%\nimport numpy\nmean = float(numpy.mean([1, 3]))\n"))
    assert latest("lesson").values["mean"] == 2.0


@pytest.mark.parametrize("setting", ["memory=2GB", "timeout=900s", "backends=avx2, sse41",
                                     "colour=red"])
def test_a_setting_that_does_not_parse_is_refused_naming_its_line(sandbox, setting):
    with pytest.raises(RunError, match=rf"examples/odd.py, line 2: `# rundocs: {setting}`"):
        run_one(sandbox("odd", f"# %%\n# rundocs: {setting}\nx = 1\n"))


def test_a_full_disk_is_said_as_such(sandbox):
    script = sandbox("full", "# %%\nimport errno, os\n"
                             "raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n")
    with pytest.raises(RunError, match="the disk is full"):
        run_one(script)


def test_keys_cost_time_linear_in_the_number_of_examples(sandbox, monkeypatch):
    reads = []
    monkeypatch.setattr(cache, "HASHES", cache.Hashes())
    real = cache.Hashes.facts
    monkeypatch.setattr(cache.Hashes, "facts", lambda self, path: reads.append(path)
                        or real(self, path))

    def cost(count):
        scripts = [sandbox(f"lesson{count}_{i}", "# %%\nx = 1\n") for i in range(count)]
        reads.clear()
        for script in scripts:
            cache.key(script)
        return len(reads)

    assert cost(80) <= 2.2 * cost(40)


def test_a_same_size_edit_with_its_old_time_is_seen(sandbox):
    script = sandbox("same", "# %%\nx = 1\n")
    first = cache.key(script)
    status = script.stat()
    script.write_text("# %%\nx = 2\n")
    os.utime(script, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert cache.key(script) != first


def test_no_lesson_shows_a_log_line_of_tensorflow_s_own(run_of):
    """Output is taken below Python now, where TensorFlow's C++ log writes too: its notes
    ("E0000 ... NodeDef mentions attribute ...") are muted, not shown as a lesson's output."""
    from rundocs.store.runner import examples

    for script in examples():
        printed = "".join(text for cell in run_of(script.stem).data["cells"]
                          for _, text in cell["outputs"])
        assert not re.search(r"^[EWIF]\d{4} |absl::", printed, re.MULTILINE), script.stem
