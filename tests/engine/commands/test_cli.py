"""The command line under bad options and machine faults (issue 34): one line each, no traceback,
and a failed site build that keeps the last good site."""

import errno
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rundocs.__main__ as cli
from rundocs.commands import serve
from rundocs.project import ROOT

GOOD = "# %% a\nx = 1\n"


def refused(capsys, argv) -> str:
    """What argparse says when it refuses ``argv``."""
    with pytest.raises(SystemExit) as exit:
        cli.main(argv)
    assert exit.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_jobs_must_be_a_positive_count(cli_sandbox, capsys, jobs):
    cli_sandbox("good", GOOD)
    error = refused(capsys, ["run", "--no-publish", "--jobs", jobs, "good"])
    assert f"argument --jobs: '{jobs}' is not a whole number of at least 1" in error
    assert not cli_sandbox.runs.exists()


@pytest.mark.parametrize("inside", ["", "shard"])
def test_export_into_the_run_store_is_refused(cli_sandbox, capsys, inside):
    cli_sandbox("good", GOOD)
    into = cli_sandbox.runs / inside
    assert cli.main(["run", "--no-publish", "--export", str(into), "good"]) == 1
    assert capsys.readouterr().err == (
        f"rundocs: --export {into} is inside the run store {cli_sandbox.runs}: the copies would "
        "be taken for runs of examples; export into a folder outside it\n")
    assert not cli_sandbox.runs.exists()  # refused before anything ran


def test_a_helper_module_named_as_an_example_is_refused(cli_sandbox, capsys):
    cli_sandbox("helpers", "def shared():\n    return 1\n")
    assert cli.main(["run", "--no-publish", "helpers"]) == 1
    assert capsys.readouterr().err.startswith(
        'rundocs: examples/helpers.py has no "# %%" cells, so it is a helper module, '
        "not an example: ")
    assert not cli_sandbox.runs.exists()


@pytest.fixture
def no_server(monkeypatch):
    """Fails the test if ``serve`` starts its server."""

    def started(*args, **kwargs):
        raise AssertionError("the server was started")

    monkeypatch.setattr(serve.subprocess, "Popen", started)


def test_serve_on_a_busy_address_says_so_before_starting_anything(no_server, capsys):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        address = f"127.0.0.1:{other.getsockname()[1]}"
        assert cli.main(["serve", "--dev-addr", address]) == 1
    assert capsys.readouterr().err == (
        f"rundocs: {address} is in use: stop the other server, or serve on another address "
        "with --dev-addr HOST:PORT\n")


@pytest.mark.parametrize("address", ["8000", "127.0.0.1", "127.0.0.1:http", "example.org:80",
                                     "127.0.0.1:70000", ":8000"])
def test_serve_refuses_a_malformed_address_in_one_line(no_server, capsys, address):
    assert cli.main(["serve", "--dev-addr", address]) == 1
    assert capsys.readouterr().err == (
        f"rundocs: --dev-addr '{address}' is not HOST:PORT with HOST an IP address or "
        "localhost (say 127.0.0.1:8000)\n")


@pytest.fixture
def faulty_disk(monkeypatch):
    """Makes creating any folder at or under ``under`` fail with ``error`` (as root, no
    permission stops the test's own writes, so the system's answer is played here)."""

    def install(under: Path, error: int, named: bool):
        real = Path.mkdir

        def mkdir(self, *args, **kwargs):
            if self == under or under in self.parents:
                raise OSError(error, os.strerror(error), *([str(self)] if named else []))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", mkdir)

    return install


def test_a_read_only_run_store_is_one_line_naming_it(cli_sandbox, faulty_disk, capsys):
    cli_sandbox("good", GOOD)
    faulty_disk(cli_sandbox.runs, errno.EROFS, named=True)
    assert cli.main(["run", "--no-publish", "good"]) == 1
    assert capsys.readouterr().err == (
        f"rundocs: cannot write the run store {cli_sandbox.runs}: Read-only file system; "
        "point RUNDOCS_RUNS at a writable folder\n")


def test_a_full_disk_says_so_and_where(cli_sandbox, faulty_disk, capsys):
    cli_sandbox("good", GOOD)
    faulty_disk(cli_sandbox.runs, errno.ENOSPC, named=False)  # as a failed write() says it
    assert cli.main(["run", "--no-publish", "good"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"rundocs: the disk is full: no space left to write the run store "
                            f"{cli_sandbox.runs} (")
    assert error.endswith(" MB free there); free space on that disk, or point RUNDOCS_RUNS at a "
                          "folder on another disk\n")


def test_merging_into_a_read_only_folder_names_it(cli_sandbox, faulty_disk, tmp_path, capsys):
    cli_sandbox("good", GOOD)
    assert cli.main(["run", "--no-publish", "good"]) == 0
    into = tmp_path / "joined"
    faulty_disk(into, errno.EROFS, named=True)
    capsys.readouterr()
    assert cli.main(["merge", str(cli_sandbox.runs), "--into", str(into)]) == 1
    assert capsys.readouterr().err == (
        f"rundocs: cannot write the run store {into}: Read-only file system; point --into at "
        "a writable folder\n")


def test_a_store_the_system_refuses_is_one_line_from_the_real_command(tmp_path):
    store = Path("/sys/rundocs-test-runs")  # sysfs: no new folders, not even for root
    try:
        store.mkdir()
    except OSError:
        pass
    else:
        store.rmdir()
        pytest.skip("this system lets the test write /sys")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "good.py").write_text(GOOD)
    result = subprocess.run(
        [sys.executable, "-m", "rundocs", "run", "--no-publish", "good"], check=False, cwd=ROOT,
        capture_output=True, text=True,
        env={**os.environ, "RUNDOCS_EXAMPLES": str(tmp_path / "examples"),
             "RUNDOCS_RUNS": str(store)})
    assert result.returncode == 1
    assert result.stderr.startswith(f"rundocs: cannot write the run store {store}: ")
    assert result.stderr.endswith("; point RUNDOCS_RUNS at a writable folder\n")
    assert "Traceback" not in result.stderr


@pytest.fixture
def project(tmp_path):
    """A tiny site of its own, built into public/ (its site_dir); returns its config."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nA page.\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Tiny\nsite_dir: public\n")
    return config


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_a_failed_build_keeps_the_last_good_site(project, capfd, builder):
    site = project.parent / "public"
    build = ["build", "--builder", builder, "--strict", "-f", str(project)]
    assert cli.main(build) == 0
    assert (site / "index.html").is_file()
    assert (site.stat().st_mode & 0o777) == 0o777 & ~umask()
    (site / "served.txt").write_text("the copy being served")
    (project.parent / "docs" / "index.md").write_text("# Home\n\nSee [a page](missing.md).\n")
    capfd.readouterr()
    assert cli.main(build) != 0
    out, err = capfd.readouterr()
    assert "Aborted" in out + err  # the builder's own words (strict mode)
    assert err.endswith(f"rundocs: the {builder} build failed (its output is above); the last "
                        f"good site in {site} was kept\n")
    assert (site / "served.txt").read_text() == "the copy being served"
    assert "A page." in (site / "index.html").read_text()
    assert sorted(p.name for p in project.parent.iterdir()
                  if p.name != ".cache") == ["docs", "mkdocs.yml", "public"]  # nothing half-made
    (project.parent / "docs" / "index.md").write_text("# Home\n\nFixed.\n")
    assert cli.main(build) == 0
    assert not (site / "served.txt").exists() and "Fixed." in (site / "index.html").read_text()


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_the_install_stamp_follows_the_locks_content_not_its_date(tmp_path):
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)

    def planned() -> str:
        """What ``make runs`` would do here (a dry run: nothing is installed)."""
        return subprocess.run(["make", "-n", "runs"], cwd=tmp_path, capture_output=True,
                              text=True, check=True).stdout

    stamp = next(line.split()[1] for line in planned().splitlines()
                 if line.startswith("touch .venv/.installed"))
    (tmp_path / ".venv").mkdir()
    (tmp_path / stamp).touch()
    future = time.time() + 365 * 86400
    os.utime(tmp_path / "requirements.lock", (future, future))
    assert "-m venv" not in planned()  # a future-dated lock is not a changed one
    with open(tmp_path / "requirements.lock", "a") as lock:
        lock.write("# changed\n")
    again = planned()
    assert "-m venv" in again and f"touch {stamp}\n" not in again
