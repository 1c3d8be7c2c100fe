"""A long output published whole beside the page, and shortened for it."""

from rundocs.publish import outputs, update
from rundocs.store.runner import run_one


def test_a_published_output_is_written_atomically_and_pruned_when_stale(cli_sandbox, tmp_path):
    script = cli_sandbox("long", "# %% a\nfor i in range(1000):\n    print(i, {})\n")
    folder = tmp_path / "published" / "figures"
    script.write_text(script.read_text().format("'old'"))
    run_one(script)
    update.publish_runs([script], complete=True)
    (old,) = folder.glob("*.txt")
    script.write_text(script.read_text().replace("'old'", "'new'"))
    run_one(script)
    update.publish_runs([script], complete=True)
    (new,) = folder.glob("*.txt")
    assert new != old and "0 new\n" in new.read_text()
    assert not list(folder.glob(".*"))  # no staged file left behind


def test_a_shortened_output_keeps_whole_lines_and_leaves_something_out():
    for text in ("x\n" * 401, "y" * 20_001, "a\n" + "b" * 30_000 + "\nc\n", "z\n" * 50_000):
        assert outputs.too_long(text)
        short = outputs.shortened(text)
        assert short.head + short.left_out + short.tail == text and short.left_out
        assert len(short.head) <= outputs.HEAD_CHARS and len(short.tail) <= outputs.TAIL_CHARS
    assert not outputs.too_long("x\n" * 400) and not outputs.too_long("x" * 20_000)
    short = outputs.shortened("z\n" * 50_000)
    assert short.head == "z\n" * outputs.HEAD_LINES and short.tail == "z\n" * outputs.TAIL_LINES
