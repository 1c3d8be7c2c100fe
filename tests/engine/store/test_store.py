"""The run store trusts only entries that prove themselves, and a merge takes nothing else
(issue 35): tiny runs made here, then tampered with as a forger or a broken disk would."""

import errno
import json
import os
import shutil

import markdown
import pytest

from rundocs import __main__ as cli
from rundocs.axes import backends
from rundocs.errors import RunError
from rundocs.pages.markdown import RunsExtension
from rundocs.store import cache, merge
from rundocs.store.compare import differences
from rundocs.store.results import latest
from rundocs.store.runner import run_one

TINY = "# %% a\nx = 1\nprint('x is', x)\n"
DRAWN = "# %% a\nimport matplotlib.pyplot as plt\nplt.figure('line')\nplt.plot([1, 2])\n" \
        "plt.show()\n"
VARIANT = "# rundocs: backends=avx2\n# %% a\nimport os\n" \
          "cap = os.environ.get('ONEDNN_MAX_CPU_ISA', 'none')\n"


@pytest.fixture(autouse=True)
def default_numeric_settings(monkeypatch):
    """Every test starts on the default back-end, whatever the shell sets."""
    for variable in backends.NUMERIC_ENV:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def made(sandbox, monkeypatch):
    """Runs ``NAME`` (``TINY`` unless told) in the sandbox; returns its entry's folder. The merge
    sees the sandbox's examples."""
    monkeypatch.setattr(merge, "EXAMPLES", sandbox.runs.parent / "examples")

    def make(name="tiny", text=TINY, backend=None):
        script = sandbox(name, text)
        run_one(script, backend=backend)
        return cache.entry_dir(script, cache.key(script, backend), backend)

    return make


def reseal(folder, change=lambda result: None, text=None):
    """Change ``folder``'s result.json (or replace it with ``text``) and recompute its
    manifest, as a forger would."""
    result = folder / "result.json"
    if text is None:
        data = json.loads(result.read_text())
        change(data)
        text = json.dumps(data)
    result.write_text(text)
    (folder / cache.MANIFEST).write_text(json.dumps(cache.checksums(folder)))


def moved(folder, key):
    """``folder`` renamed to the entry of ``key`` beside it."""
    return folder.rename(folder.with_name(key))


def render(text):
    return markdown.Markdown(extensions=[RunsExtension()]).convert(text)


def with_inputs(folder, **parts):
    """A consistent forgery: ``folder`` with its recorded inputs changed, resealed and moved to
    the key they give."""
    inputs = json.loads((folder / "result.json").read_text())["inputs"]
    inputs.update({part.replace("_", " "): value for part, value in parts.items()})
    reseal(folder, lambda result: result.update(inputs=inputs, values={"x": 999}))
    return moved(folder, cache.key_of(inputs))


# What a reader of the store takes: cache.load, under every page.

def test_the_key_is_the_hash_of_the_inputs_a_run_records(made):
    folder = made()
    recorded = json.loads((folder / "result.json").read_text())["inputs"]
    assert cache.key_of(recorded) == folder.name


def test_a_stale_run_resealed_under_the_current_key_is_refused_before_anything_renders(
        made, sandbox, capsys):
    old = made()
    script = sandbox("tiny", TINY.replace("x = 1", "x = 2"))
    reseal(old, lambda result: result["values"].update(x=2))  # the numbers the page expects
    forged = moved(old, cache.key(script))
    with pytest.raises(RunError, match="has no run of its current source"):
        render("{{ tiny.x }}\n")
    assert "records inputs that do not give its key" in capsys.readouterr().out
    assert not forged.exists()


def test_consistent_forged_inputs_are_refused_as_not_the_current_sources(made, capsys):
    folder = made()
    script = folder.parent.parent.parent / "examples" / "tiny.py"
    forged = with_inputs(folder, the_script="000000000000")
    assert cache.load(script, forged.name) is None
    assert "records inputs that are not those of the current sources" in capsys.readouterr().out


def test_a_forgery_with_the_current_inputs_passes_and_only_a_second_run_catches_it(
        made, sandbox, tmp_path, monkeypatch):
    """The residual risk, stated: inputs are public, so an entry resealed with changed numbers
    and its true inputs proves consistent. An independent run of the same source differs."""
    folder = made()
    reseal(folder, lambda result: result["values"].update(x=999))
    assert latest("tiny").value("x") == 999  # consistent: the store cannot tell
    forged = json.loads((folder / "result.json").read_text())
    monkeypatch.setattr(cache, "RUNS", tmp_path / "again")  # another job's store
    run_one(sandbox.runs.parent / "examples" / "tiny.py")
    again = json.loads((latest("tiny").folder / "result.json").read_text())
    assert differences("tiny", forged, again)


@pytest.mark.parametrize("figure", ["../x", "a/b", ".hidden"])
def test_a_figure_name_that_is_a_path_is_refused_at_load(made, capsys, figure):
    folder = made("drawn", DRAWN)
    (folder / "line.png").rename(folder / "x.png")  # a file to point at, inside the entry
    reseal(folder, lambda result: result.update(figures={figure: "A line"}))
    with pytest.raises(RunError, match="has no run of its current source"):
        latest("drawn")
    assert f"names a figure or chart {figure!r}" in capsys.readouterr().out


def test_a_link_in_an_entry_is_refused_at_load(made, capsys):
    folder = made()
    (folder / "result.json").unlink()
    (folder / "result.json").symlink_to("/dev/zero")
    with pytest.raises(RunError, match="has no run of its current source"):
        latest("tiny")
    assert "result.json, which is not a regular file" in capsys.readouterr().out


# What a merge takes: a store downloaded from another job, read as a stranger's.

def merged(store, into, match):
    """Merging ``store`` into ``into`` fails with one RunError matching ``match``, and leaves
    nothing behind."""
    before = sorted(p.name for p in into.parent.iterdir())
    with pytest.raises(RunError, match=match) as refused:
        merge.merge([store], into)
    assert "\n" not in str(refused.value)
    assert sorted(p.name for p in into.parent.iterdir()) == before  # no .merging-*, no into
    return str(refused.value)


def test_a_sound_store_merges(made, sandbox, tmp_path):
    made("drawn", DRAWN)
    made()
    assert merge.merge([sandbox.runs], tmp_path / "into") == (
        f"merged 2 runs from 1 store into {tmp_path / 'into'}")
    assert not list(tmp_path.glob(".merging-*"))


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero"])
def test_a_link_anywhere_in_a_store_is_refused_and_never_read(made, sandbox, tmp_path, target):
    folder = made("drawn", DRAWN)
    (folder / "line.png").unlink()
    (folder / "line.png").symlink_to(target)
    assert str(folder) in merged(sandbox.runs, tmp_path / "into",
                                 "line.png, which is not a regular file")


def test_a_linked_entry_or_run_folder_is_refused(made, sandbox, tmp_path):
    folder = made()
    shutil.copytree(folder, tmp_path / "elsewhere")
    shutil.rmtree(folder)
    folder.symlink_to(tmp_path / "elsewhere")
    merged(sandbox.runs, tmp_path / "into", "is a link or a special file")
    folder.unlink()
    shutil.move(folder.parent, tmp_path / "tiny")
    folder.parent.symlink_to(tmp_path / "tiny")
    merged(sandbox.runs, tmp_path / "into", "is not a folder of runs of an example")


def test_a_special_file_is_refused_without_blocking(made, sandbox, tmp_path):
    folder = made()
    os.mkfifo(folder / "pipe.png")
    merged(sandbox.runs, tmp_path / "into", "pipe.png, which is not a regular file")


@pytest.mark.parametrize("name", [".hidden", "notes.txt", "x.png"])
def test_a_file_no_run_writes_is_refused(made, sandbox, tmp_path, name):
    folder = made()
    (folder / name).write_text("added")
    reseal(folder)  # the manifest lists it: only the name gives it away
    merged(sandbox.runs, tmp_path / "into", "a name no run writes" if name.startswith(".")
           else f"holds files that result.json does not name, or lacks files it names: {name}")


def test_an_entry_nested_deeper_is_refused(made, sandbox, tmp_path):
    folder = made()
    (folder / "deeper").mkdir()
    (folder / "deeper" / "x.png").write_text("")
    merged(sandbox.runs, tmp_path / "into", "deeper, which is not a regular file")


def test_a_file_over_the_limit_is_refused_unread(made, sandbox, tmp_path):
    folder = made("drawn", DRAWN)
    with open(folder / "line.png", "r+b") as png:  # sparse: no disk, no time
        png.truncate(merge.MAX_FILE + 1)
    merged(sandbox.runs, tmp_path / "into", "line.png is larger than 64 MB")


def test_an_entry_over_the_limit_is_refused(made, sandbox, tmp_path, monkeypatch):
    made()
    monkeypatch.setattr(merge, "MAX_ENTRY", 100)
    merged(sandbox.runs, tmp_path / "into", "holds more than")


def test_runs_of_an_example_that_does_not_exist_are_refused(made, sandbox, tmp_path):
    made()
    (sandbox.runs.parent / "examples" / "tiny.py").unlink()
    merged(sandbox.runs, tmp_path / "into", "runs of examples/tiny.py, which does not exist")


def test_runs_under_a_backend_the_example_does_not_ask_for_are_refused(made, sandbox, tmp_path):
    folder = made()
    shutil.copytree(folder.parent, sandbox.runs / "tiny@avx2")
    merged(sandbox.runs, tmp_path / "into", "under 'avx2', a back-end examples/tiny.py does not")


def test_an_entry_of_another_example_is_refused(made, sandbox, tmp_path):
    folder = made()
    sandbox("other", TINY)
    shutil.copytree(folder.parent, sandbox.runs / "other")
    merged(sandbox.runs, tmp_path / "into", "records a run of 'tiny.py', not of other.py")


@pytest.mark.parametrize("text, complaint", [
    ("{not json", "result.json is not valid JSON"),
    ("[]", "result.json is not a JSON object"),
    ('{"script": "tiny.py"}', "result.json lacks 'inputs'"),
])
def test_a_malformed_result_is_one_message(made, sandbox, tmp_path, text, complaint):
    reseal(made(), text=text)
    merged(sandbox.runs, tmp_path / "into", complaint)


def test_inputs_that_do_not_give_the_key_are_refused(made, sandbox, tmp_path):
    reseal(made(), lambda result: result["inputs"].update({"the script": "000000000000"}))
    merged(sandbox.runs, tmp_path / "into", "records inputs that do not give its key")


def test_a_figure_name_that_is_a_path_is_refused_by_the_merge(made, sandbox, tmp_path):
    folder = made("drawn", DRAWN)
    reseal(folder, lambda result: result.update(figures={"../x": ""}))
    merged(sandbox.runs, tmp_path / "into", "names a figure or chart '../x'")


def test_a_malformed_store_is_one_line_from_the_command(made, sandbox, tmp_path, capsys):
    reseal(made(), text="{not json")
    assert cli.main(["merge", str(sandbox.runs), "--into", str(tmp_path / "into")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("rundocs: ") and error.count("\n") == 1 and "Traceback" not in error


@pytest.mark.parametrize("failing", [1, 2])
def test_a_full_disk_during_the_merge_leaves_nothing_half_merged(
        made, sandbox, tmp_path, monkeypatch, failing):
    """The disk fills while the second entry is copied (1) or while the first is renamed
    into place (2): the destination is as it was."""
    made("drawn", DRAWN)
    made()
    into = tmp_path / "into"
    (into / "kept").mkdir(parents=True)
    real = {1: shutil.copyfile, 2: os.rename}[failing]
    calls = []

    def full(*args, **kwargs):
        calls.append(args)
        if len(calls) == {1: 4, 2: 2}[failing]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    if failing == 1:
        monkeypatch.setattr(shutil, "copyfile", full)
    else:
        monkeypatch.setattr(os, "rename", full)
    with pytest.raises(OSError, match="No space left"):
        merge.merge([sandbox.runs], into)
    assert [p.name for p in into.iterdir()] == ["kept"]
    assert not list(tmp_path.glob(".merging-*"))


def test_a_merge_killed_before_clears_its_staging_folder(made, sandbox, tmp_path):
    made()
    left = tmp_path / ".merging-into-999999999-abcd"
    left.mkdir()
    merge.merge([sandbox.runs], tmp_path / "into")
    assert not left.exists()


# Of two runs of one source on two kinds of machine, the merge keeps the one made here.

def elsewhere(folder, store):
    """A copy of the entry ``folder`` in ``store``, as another kind of machine made it: the
    same source, another back-end part of its inputs (so another key)."""
    copy = store / folder.parent.name / folder.name
    shutil.copytree(folder, copy)
    inputs = json.loads((copy / "result.json").read_text())["inputs"]
    inputs["the back-end"] = "0" * 12
    reseal(copy, lambda result: result.update(inputs=inputs))
    return moved(copy, cache.key_of(inputs))


def test_a_run_under_a_backend_is_keyed_by_its_settings_and_kept_over_another_machines(
        made, sandbox, tmp_path):
    folder = made("variant", VARIANT, backend="avx2")
    assert backends.fingerprint("avx2")["settings"]["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    script = sandbox.runs.parent / "examples" / "variant.py"
    assert merge.current("variant@avx2") == folder.name != cache.key(script)
    other = elsewhere(folder, tmp_path / "other")
    merge.merge([tmp_path / "other", sandbox.runs], tmp_path / "into")
    assert [p.name for p in (tmp_path / "into" / "variant@avx2").iterdir()] == [folder.name]
    assert other.name != folder.name


def test_a_backend_stores_tie_keeps_the_run_made_here_under_that_backend(
        made, sandbox, tmp_path, monkeypatch):
    """The store of `run --backend avx2` holds plain NAME runs made under its settings; `merge
    --backend avx2` keys them so, and keeps this machine's over the first store's."""
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")  # as `run --backend avx2` sets it
    folder = made()
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA")
    elsewhere(folder, tmp_path / "other")
    into = tmp_path / "into"
    assert cli.main(["merge", str(tmp_path / "other"), str(sandbox.runs), "--into", str(into),
                     "--backend", "avx2"]) == 0
    assert [p.name for p in (into / "tiny").iterdir()] == [folder.name]
