"""The engine's own behaviour, on tiny scripts that start in a fraction of a second."""

import math

import markdown
import pytest

from rundocs.commands import matrix
from rundocs.errors import RunError
from rundocs.pages.markdown import RunsExtension
from rundocs.publish import charts, figures, notebook
from rundocs.store import cache
from rundocs.store.results import latest
from rundocs.store.runner import run_one

HELLO = """\
# %% greet
from helper import GREETING
answer = 6 * 7
print(GREETING, answer)

# %% plot
import matplotlib.pyplot as plt
plt.figure("line")
plt.plot([1, 2, 3])
plt.title("A line")
plt.show()
ratios = {"half": 0.5, "list": [1, 2, 3]}
rows = [{"claim": "a | b", "verdict": "holds"}, {"claim": "c", "verdict": "wrong"}]
"""


@pytest.fixture(autouse=True)
def default_numeric_settings(monkeypatch):
    """Every test starts on the default back-end, whatever the shell sets (ONEDNN_MAX_CPU_ISA
    exported by someone checking an old CPU, say); a test that needs a variable sets it."""
    from rundocs.axes import backends

    for variable in backends.NUMERIC_ENV:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def hello(sandbox):
    sandbox("helper", 'GREETING = "hello"\n')
    return sandbox("hello", HELLO)


def entries(sandbox):
    """Every folder in the run store, staging folders included."""
    if not sandbox.runs.exists():
        return []
    return sorted(p.name for p in sandbox.runs.glob("*/*") if p.is_dir())


def test_a_run_records_output_figures_and_values(hello):
    assert not run_one(hello).cached
    run = latest("hello")
    assert run.output("greet") == "hello 42\n"
    assert run.cell("plot")["figures"] == ["line"]
    assert run.figure_png("line").startswith(b"\x89PNG")
    assert run.data["figures"]["line"] == "A line"
    assert run.value("answer") == 42
    assert run.value("ratios.list[-1]") == 3
    assert run.data["warnings"] == []


def test_a_run_records_the_smallest_text_of_each_figure_and_pages_keep_it_legible(sandbox):
    script = sandbox("small_text", "# %% plot\nimport matplotlib.pyplot as plt\n"
                     "fig, ax = plt.subplots(figsize=(8, 3), num='wide')\n"
                     "ax.plot([1, 2]); ax.set_title('Big', fontsize=14)\n"
                     "ax.tick_params(labelsize=6)\nplt.show()\n")
    run_one(script)
    run = latest("small_text")
    assert run.data["figure_text_px"] == {"wide": round(6 * 100 / 72, 2)}  # 6 pt at 100 dpi
    width = figures.size(run, "wide")[0]
    text = run.data["figure_text_px"]["wide"]
    assert figures.legible_width(run, "wide") == math.ceil(width * 9 / text)
    assert figures.legible_width(run, "wide") > width  # tiny text: drawn larger than its file


def test_an_unchanged_example_is_not_run_again(hello):
    run_one(hello)
    assert run_one(hello).cached


def test_editing_the_example_runs_it_again(hello):
    run_one(hello)
    hello.write_text(HELLO.replace("6 * 7", "6 * 8"))
    assert not run_one(hello).cached
    assert latest("hello").value("answer") == 48


def test_editing_an_imported_module_runs_it_again(hello, sandbox):
    run_one(hello)
    sandbox("helper", 'GREETING = "hi"\n')
    assert not run_one(hello).cached
    assert latest("hello").output("greet") == "hi 42\n"


def test_a_stale_run_is_never_served(hello):
    run_one(hello)
    hello.write_text(HELLO + "\nmore = 1\n")
    with pytest.raises(RunError, match=r"hello\.py has no run of its current source.*make build"):
        latest("hello")


def test_an_exception_fails_naming_the_example_with_its_traceback(sandbox):
    script = sandbox("broken", "# %% a\nx = 1\n\n# %% b\nraise ValueError('bad weights')\n")
    with pytest.raises(RunError) as error:
        run_one(script)
    message = str(error.value)
    assert "examples/broken.py failed" in message
    assert 'broken.py", line 5' in message and "ValueError: bad weights" in message
    assert entries(sandbox) == []


def test_a_chained_exception_shows_both_tracebacks(sandbox):
    script = sandbox("chained", "# %% a\ntry:\n    {}['w']\nexcept KeyError as e:\n"
                                "    raise RuntimeError('no weights') from e\n")
    with pytest.raises(RunError) as error:
        run_one(script)
    assert "KeyError: 'w'" in str(error.value) and "RuntimeError: no weights" in str(error.value)


def test_a_non_zero_exit_fails(sandbox):
    script = sandbox("exits", "# %% a\nimport sys\nprint('leaving')\nsys.exit(3)\n")
    with pytest.raises(RunError, match=r"exits\.py failed \(exit status 3\):\nleaving"):
        run_one(script)
    assert entries(sandbox) == []


def test_a_hanging_example_is_stopped_at_its_time_limit(sandbox):
    script = sandbox("hangs", "# rundocs: timeout=1\n# %% a\nimport time\ntime.sleep(60)\n")
    with pytest.raises(RunError, match=r"hangs\.py ran past its time limit of 1s and was "
                       r"stopped; if it needs longer, raise its `# rundocs: timeout=N`"):
        run_one(script)
    assert entries(sandbox) == []


def test_a_corrupted_cache_entry_is_discarded_and_run_again(hello):
    run_one(hello)
    (latest("hello").folder / "result.json").write_text("{}")
    assert cache.load(hello, cache.key(hello)) is None
    assert not run_one(hello).cached


def test_a_truncated_cache_entry_is_discarded(hello):
    run_one(hello)
    png = latest("hello").folder / "line.png"
    png.write_bytes(png.read_bytes()[:100])
    assert not run_one(hello).cached


def render(text):
    return markdown.Markdown(extensions=[RunsExtension(), "fenced_code", "attr_list",
                                         "pymdownx.blocks.caption"]).convert(text)


def test_pages_get_real_source_output_figures_and_values(hello, published):
    run_one(hello)
    figures.publish(latest("hello"))
    html = render(
        "{{ source: hello:greet }}\n\n{{ output: hello:greet }}\n\n"
        "{{ figure: hello/line }}\nalt: A line up to {{ hello.answer }}.\n"
        "caption: The *line* it drew.\n\nThe answer is {{ hello.answer }}, "
        "or {{ hello.ratios.half:.0% }}.\n"
    )
    assert "answer = 6 * 7" in html and "hello 42" in html
    width, height = figures.size(latest("hello"), "line")
    name = figures.file_name(latest("hello"), "line")
    assert f'src="examples/figures/{name}"' in html and 'alt="A line up to 42."' in html
    assert f'width="{width}"' in html and f'height="{height}"' in html
    assert "<figcaption>\n<p>The <em>line</em> it drew.</p>\n</figcaption>" in html
    assert "The answer is 42, or 50%." in html


def test_a_figure_that_is_not_published_or_lacks_its_texts_fails(hello, published):
    run_one(hello)
    with pytest.raises(RunError, match="is not published"):
        render("{{ figure: hello/line }}\nalt: a\ncaption: b\n")
    figures.publish(latest("hello"))
    with pytest.raises(RunError, match="needs an `alt:` line"):
        render("{{ figure: hello/line }}\ncaption: b\n")


def test_a_list_of_dicts_becomes_a_table(hello):
    run_one(hello)
    html = markdown.Markdown(extensions=[RunsExtension(), "tables"]).convert(
        "{{ table: hello.rows }}\n")
    assert "<th>Claim</th>" in html and "<td>a | b</td>" in html and "<td>wrong</td>" in html


@pytest.mark.parametrize(("reference", "complaint"), [
    ("{{ hello.missing }}", "has no value 'missing'"),
    ("{{ hello.ratios.nothing }}", "has no value 'ratios.nothing'"),
    ("{{ figure: hello/nothing }}", "drew no figure 'nothing'"),
    ("{{ output: hello:nothing }}", "no cell 'nothing'"),
    ("{{ source: nothing }}", "there is no example examples/nothing.py"),
    ("{{ hello.answer:.2q }}", "cannot format"),
    ("{{ something else }}", "unrecognised reference"),
    ("{{ table: hello.answer }}", "cannot be shown as a table"),
    ("See {{ figure: hello/line }} inline", "stands on a line of its own"),
])
def test_a_reference_to_nothing_fails_naming_it(hello, reference, complaint):
    run_one(hello)
    with pytest.raises(RunError) as error:
        render(f"Some text.\n\n{reference}\n")
    assert f"line 3: {reference}" in str(error.value)
    assert complaint in str(error.value)


def test_an_interrupted_build_leaves_nothing_half_written(hello, sandbox, monkeypatch):
    from rundocs.store import runner

    def interrupted(script, folder, limit, backend=None, memory=None, output=None):
        (folder / "result.json").write_text('{"partial": ')
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "execute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_one(hello)
    assert entries(sandbox) == []
    monkeypatch.undo()


def test_the_next_build_after_a_killed_one_is_correct(hello, sandbox):
    staging = cache.staging(hello, cache.key(hello))  # what a build killed mid-run leaves
    (staging / "result.json").write_text('{"partial": ')
    with pytest.raises(RunError, match="no run of its current source"):
        latest("hello")
    assert not run_one(hello).cached
    assert latest("hello").value("answer") == 42


def test_reproducibility_check_runs_once_more_and_spots_a_number_that_changes(sandbox, tmp_path):
    from rundocs.commands.reproducible import once_more

    steady = sandbox("steady", "# %% a\nimport random\nrandom.seed(0)\nx = random.random()\n"
                               "print('epoch 1 - 3s - 2ms/step - loss', round(x, 4))\n")
    shaky = sandbox("shaky", "# %% a\nimport time\nnow = time.time()\nprint(now)\n")
    with pytest.raises(RunError, match="no run of its current source"):
        once_more(steady, tmp_path)  # compared with the build's run, so there must be one
    run_one(steady), run_one(shaky)
    assert once_more(steady, tmp_path) == []
    found = once_more(shaky, tmp_path)
    assert any("value now" in d for d in found) and any("printed" in d for d in found)
    assert all("in the build's run" in d and "run again" in d for d in found)


def test_reproducibility_check_spots_a_line_printed_only_once():
    from rundocs.commands.reproducible import differences

    def run(text):
        return {"values": {"loss": 0.5}, "cells": [{"outputs": [["stdout", text]]}]}

    assert differences("x", run("epoch 1 - 3s\n"), run("epoch 1 - 4s\n")) == []
    found = differences("x", run("loss 0.5\n"), run("loss 0.5\nwarning: retraced\n"))
    assert len(found) == 1 and "warning: retraced" in found[0] and "<nothing>" in found[0]

def test_the_backend_matrix_takes_the_builds_runs_as_the_default_backends(tmp_path, monkeypatch):
    import sys

    calls = []
    monkeypatch.setattr(matrix.subprocess, "call",
                        lambda command, env, cwd, preexec_fn:
                        calls.append((command, env["RUNDOCS_RUNS"])) or 0)
    monkeypatch.setattr(matrix.KERNELS, "stores", tmp_path / "backends")
    monkeypatch.setattr(cache, "RUNS", tmp_path / "build-runs")
    (tmp_path / "backends" / "avx2" / "old").mkdir(parents=True)  # merged from the shards
    assert matrix.run_under("default", ["pitfalls_tape"]) == tmp_path / "build-runs"
    assert matrix.run_under("avx2", ["pitfalls_tape"]) == tmp_path / "backends" / "avx2"
    run = [sys.executable, "-m", "rundocs", "run"]
    assert calls == [([*run, "pitfalls_tape"], str(tmp_path / "build-runs")),
                     ([*run, "--no-publish", "--backend", "avx2", "pitfalls_tape"],
                      str(tmp_path / "backends" / "avx2"))]
    assert (tmp_path / "backends" / "avx2" / "old").exists()  # kept: runs are keyed by content
    with pytest.raises(RunError, match="pitfalls_tape.py has no run of its current source"):
        matrix.verdicts("default", tmp_path / "build-runs", ["pitfalls_tape"])

def test_publishing_an_unchanged_run_rewrites_nothing(hello, tmp_path, monkeypatch):
    monkeypatch.setattr(notebook, "PUBLISHED", tmp_path / "published")
    monkeypatch.setattr(figures, "FOLDER", tmp_path / "published" / "figures")
    run_one(hello)
    notebook.publish(latest("hello"))
    published = sorted((tmp_path / "published").rglob("*.*"))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in published}
    notebook.publish(latest("hello"))  # a warm build: same run, so same bytes, no write
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in published} == before
    assert [p.name for p in published if p.parent.name != "figures"] == [
        "hello.ipynb", "hello.md", "hello.py"]


@pytest.fixture
def published(tmp_path, monkeypatch):
    """Figures go to a folder of the test's own."""
    monkeypatch.setattr(figures, "FOLDER", tmp_path / "figures")
    return tmp_path / "figures"


def test_a_figure_file_is_named_by_its_content(tmp_path, published, sandbox):
    drawing = "# %% a\nimport matplotlib.pyplot as plt\nplt.figure('f')\nplt.plot([0, {}])\n"
    first = sandbox("drawn", drawing.format(1))
    run_one(first)
    (old,) = figures.publish(latest("drawn"))
    assert (tmp_path / "figures" / old).read_bytes() == latest("drawn").figure_png("f")
    first.write_text(drawing.format(2))
    run_one(first)
    (new,) = figures.publish(latest("drawn"))
    assert new != old and new.startswith("drawn-f-")
    figures.prune({new})
    assert [p.name for p in (tmp_path / "figures").iterdir()] == [new]


CHARTED = """\
# %% chart
import altair as alt
import matplotlib.pyplot as plt
plt.figure("points")
plt.plot([1, 2], [3, 4])
plt.show()
rows = [{"x": 1, "y": 3}, {"x": 2, "y": 4}]
base = alt.Chart(alt.InlineData(values=rows))  # no mark: not a chart a cell displays
moving = alt.param(name="k", value=1, bind=alt.binding_range(min=1, max=2, step=1, name="k "))
points = base.mark_point().encode(x="x:Q", y="y:Q").add_params(moving)
points
"""


def test_a_chart_a_cell_ends_with_is_stored_published_and_drawn_over_its_figure(
        sandbox, published):
    run_one(sandbox("charted", CHARTED))
    run = latest("charted")
    assert run.data["charts"] == ["points"] and run.cell("chart")["charts"] == ["points"]
    assert charts.table_with(charts.load(run, "points"), "x", "y")[1] == {"x": 2, "y": 4}
    with pytest.raises(RunError, match="is not published"):
        render("{{ figure: charted/points }}\nalt: a\ncaption: b\nchart: points\n")
    names = figures.publish(run) | charts.publish(run)
    stem = charts.file_stem(run, "points")
    assert {f"{stem}.vl.json", f"{stem}.csv", charts.library()} <= names
    assert (published / f"{stem}.csv").read_text() == "x,y\n1,3\n2,4\n"
    html = render("{{ figure: charted/points }}\nalt: Two points.\ncaption: Them.\n"
                  "chart: points\n")
    assert f'<span class="rundocs-chart" data-spec="{stem}.vl.json"' in html
    assert f'data-library="{charts.library()}"' in html and f"{stem}.csv" in html
    with pytest.raises(RunError, match="left no Altair chart 'base'"):
        render("{{ figure: charted/points }}\nalt: a\ncaption: b\nchart: base\n")


def test_a_cell_ending_with_an_invalid_chart_fails_naming_it(sandbox):
    script = sandbox("unmarked", "# %% a\nimport altair as alt\n"
                                 "bare = alt.Chart(alt.InlineData(values=[{'x': 1}]))\nbare\n")
    with pytest.raises(RunError) as error:
        run_one(script)
    message = str(error.value)
    assert "examples/unmarked.py failed" in message and "ends with `bare`" in message
    assert "child.py" not in message  # the engine's own frames are not the reader's concern


def test_a_check_that_holds_renders_nothing(hello):
    run_one(hello)
    html = render("The answer is {{ hello.answer }}.\n\n{{ check: hello.answer == 6 * 7 }}\n")
    assert html == "<p>The answer is 42.</p>"


def test_a_check_the_run_contradicts_fails_quoting_the_sentence_and_values(hello):
    run_one(hello)
    with pytest.raises(RunError) as error:
        render("Half is more than\nthe answer.\n\n"
               "{{ check: hello.ratios.half > hello.answer and len(hello.ratios.list) == 3 }}\n")
    message = str(error.value)
    assert "line 4" in message and '"Half is more than the answer."' in message
    assert "hello.ratios.half = 0.5" in message and "hello.answer = 42" in message


@pytest.mark.parametrize(("check", "complaint"), [
    ("hello.answer.__class__ == 1", "has no value"),
    ("__import__('os').system('true')", "may not use"),
    ("[x for x in hello.rows]", "may not use"),
    ("hello.answer >", "not a valid expression"),
    ("hello.answer < 'a'", "cannot be evaluated"),
])
def test_a_check_is_a_safe_expression_over_run_values(hello, check, complaint):
    run_one(hello)
    with pytest.raises(RunError, match=complaint):
        render(f"Text.\n\n{{{{ check: {check} }}}}\n")


VARIANT = """\
# rundocs: backends=sse41
# %% a
import os
cap = os.environ.get("ONEDNN_MAX_CPU_ISA", "none")
"""


def test_an_example_can_ask_to_be_shown_under_another_backend(sandbox, monkeypatch):
    from rundocs.store.runner import run_all

    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    script = sandbox("variant", VARIANT)
    ran = sorted(o.name for o in run_all([script], jobs=2))
    assert ran == ["variant", "variant@sse41"]
    assert latest("variant").value("cap") == "none"
    assert latest("variant@sse41").value("cap") == "SSE41"
    assert render("{{ check: variant.cap != variant@sse41.cap }}\n") == ""
    assert "oneDNN, SSE4.1" in notebook.footer(latest("variant@sse41"))
    with pytest.raises(RunError, match="not run under 'avx2'"):
        latest("variant@avx2")


def test_the_run_key_changes_with_the_numeric_settings(hello, monkeypatch):
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    default = cache.key(hello)
    assert cache.key(hello, "sse41") != default
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert cache.key(hello) != default


def test_provenance_names_the_hardware(hello):
    from rundocs.axes import backends

    run_one(hello)
    line = notebook.footer(latest("hello"))
    assert backends.cpu()[0] in line and "cores" in line


def test_two_builds_bringing_the_same_run_up_to_date_at_once_both_succeed(hello, sandbox):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: run_one(hello, force=True), range(2)))
    assert [o.cached for o in outcomes] == [False, False]
    assert latest("hello").value("answer") == 42
    assert entries(sandbox) == [cache.key(hello)]  # one entry, no staging folder left


def test_every_run_says_why_it_ran(hello, monkeypatch):
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    assert run_one(hello).why == "no run yet"
    assert run_one(hello).why == ""  # cached
    hello.write_text(HELLO + "\nmore = 1\n")
    assert run_one(hello).why == "the script changed"
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "SSE41")
    assert run_one(hello).why == "the back-end changed"
    assert run_one(hello, force=True).why == "--force"


def test_a_build_waits_for_another_making_the_same_run_and_reuses_it(hello, sandbox):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: run_one(hello), range(2)), key=lambda o: o.cached)
    assert [(o.cached, o.why) for o in outcomes] == [
        (False, "no run yet"), (True, "made by another build meanwhile")]
    assert entries(sandbox) == [cache.key(hello)]


def test_check_backends_can_be_held_to_some_back_ends():
    axis = matrix.Axis("backends", only=("onednn-off",))
    assert matrix.chosen(axis) == ["default", "onednn-off"]


def test_an_unknown_back_end_is_named(capsys):
    assert matrix.main(["--backends=avx3"]) == 1
    assert "not avx3" in capsys.readouterr().err
