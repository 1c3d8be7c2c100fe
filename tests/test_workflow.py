"""The hosted workflow is code: linted, and its shard and merge steps run here as the jobs run
them (issue 23), on small examples."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from rundocs import ROOT, cache, results
from rundocs.compare import differences
from rundocs.markdown import RunsExtension
from rundocs.merge import merge
from rundocs.runner import shard

WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
BIN = Path(sys.executable).parent
SHARDS = 3


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def step(job: dict, name: str) -> dict:
    return next(s for s in job["steps"] if s.get("name", "").startswith(name))


def test_actionlint_finds_nothing():
    done = subprocess.run([str(BIN / "actionlint"), "-no-color", str(WORKFLOW)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout, done.stdout + done.stderr


def test_zizmor_finds_nothing():
    done = subprocess.run([str(BIN / "zizmor"), "--offline", "--format", "json", str(WORKFLOW)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def test_every_action_is_pinned_to_a_commit(workflow):
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u) for u in uses), uses


def test_every_job_has_a_time_limit_and_only_deploy_may_write(workflow):
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 90, name
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        assert writes == ({"contents"} if name == "deploy" else set()), name
    assert "refs/heads/main" in workflow["jobs"]["deploy"]["if"]


def test_the_machine_kind_is_a_cache_key_part():
    kind = subprocess.run([sys.executable, "-m", "rundocs", "machine"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert re.fullmatch(r"[A-Za-z0-9.-]+", kind) and kind.endswith(
        ("AVX-512", "AVX2", "AVX", "SSE4.1", "unknown")), kind


def test_shares_hold_every_run_once_and_take_about_as_long(tmp_path, monkeypatch):
    jobs = [(tmp_path / f"e{n}.py", None) for n in range(10)]
    seconds = {f"e{n}": s for n, s in enumerate([50, 40, 30, 20, 10, 9, 8, 7, 6, 5])}
    monkeypatch.setattr(cache, "last_seconds", lambda script, backend: seconds[script.stem])
    shares = [shard(jobs, k, SHARDS) for k in range(1, SHARDS + 1)]
    assert sorted(j for s in shares for j in s) == sorted(jobs)
    totals = [sum(seconds[j[0].stem] for j in s) for s in shares]
    assert max(totals) - min(totals) <= 10, totals  # no share waits on a much longer one


TINY = {
    "tiny_a": "# %% a\nimport random\nrandom.seed(1)\nx = random.random()\nprint(x)\n",
    "tiny_b": "# %% a\nrows = [{'n': n, 'square': n * n} for n in range(4)]\nprint(rows)\n",
    "tiny_c": "# rundocs: backends=avx2\n# %% a\nimport os\nisa = os.environ.get("
              "'ONEDNN_MAX_CPU_ISA', 'none')\nprint(isa)\n",
    "tiny_d": "# %% a\ntotal = sum(range(100))\nprint('total', total)\n",
}
PAGE = "{{ tiny_a.x }} {{ tiny_c.isa }} {{ tiny_c@avx2.isa }}\n\n{{ table: tiny_b.rows }}\n"


def shell(script: str, cwd: Path, **env) -> None:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stdout + done.stderr


def stored(store: Path) -> dict[str, dict]:
    return {f"{f.parent.name}/{f.name}": json.loads((f / "result.json").read_text())
            for f in sorted(store.glob("[!.]*/[!.]*"))}


def page(store: Path, examples: Path, monkeypatch) -> str:
    monkeypatch.setattr(cache, "RUNS", store)
    monkeypatch.setattr(results, "EXAMPLES", examples)
    return markdown.Markdown(extensions=[RunsExtension(), "tables"]).convert(PAGE)


def test_three_shards_merged_are_the_store_of_one_unsharded_run(workflow, tmp_path, monkeypatch):
    """The jobs' own commands (the shard step for every back-end and share, then the merge
    step) against one unsharded run per back-end: the same runs, keys and values, and the
    same page built from them."""
    examples = tmp_path / "examples"
    examples.mkdir()
    for name, text in TINY.items():
        (examples / f"{name}.py").write_text(text)
    env = {"RUNDOCS_EXAMPLES": str(examples), "SHARDS": str(SHARDS)}
    jobs = workflow["jobs"]
    backends = jobs["runs"]["strategy"]["matrix"]["backend"]
    assert jobs["runs"]["strategy"]["matrix"]["shard"] == list(range(1, SHARDS + 1))
    assert workflow["env"]["SHARDS"] == SHARDS
    site = tmp_path / "site"
    for backend in backends:
        for part in range(1, SHARDS + 1):  # each job on a machine of its own
            job = tmp_path / f"job-{backend}-{part}"
            job.mkdir()
            (job / ".venv").symlink_to(BIN.parent)  # the commands call .venv/bin/python
            shell(step(jobs["runs"], "Run this share")["run"], job, BACKEND=backend,
                  SHARD=str(part), **env)
            shutil.copytree(job / "build" / "stores", site / "build" / "stores",
                            dirs_exist_ok=True)  # what the site job downloads
    (site / ".venv").symlink_to(BIN.parent)
    shell(step(jobs["site"], "Join the shares' stores")["run"], site, **env)

    whole = tmp_path / "whole"
    for backend in backends:
        shell(f"{sys.executable} -m rundocs run --no-publish --backend {backend}", tmp_path,
              RUNDOCS_RUNS=str(whole / backend), **env)
    for backend in backends:
        merged = site / "build" / ("runs" if backend == "default" else f"backends/{backend}")
        a, b = stored(whole / backend), stored(merged)
        assert a.keys() == b.keys(), backend  # the same runs, under the same keys
        assert len(a) == len(TINY) + 1, backend  # tiny_c@avx2 too
        for entry in a:
            assert a[entry]["values"] == b[entry]["values"], entry
            assert not differences(entry, a[entry], b[entry]), entry
    assert page(whole / "default", examples, monkeypatch) == page(
        site / "build" / "runs", examples, monkeypatch)

    # the build step brings the joined store up to date: here, nothing runs again
    done = subprocess.run([sys.executable, "-m", "rundocs", "run", "--no-publish"], cwd=site,
                          capture_output=True, text=True,
                          env={**os.environ, **env, "RUNDOCS_RUNS": "build/runs"})
    assert "nothing ran" in done.stdout, done.stdout + done.stderr


def test_merge_refuses_runs_that_disagree(tmp_path, monkeypatch):
    monkeypatch.setattr("rundocs.merge.EXAMPLES", tmp_path / "examples")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "tiny.py").write_text("# %% a\nx = 1\n")

    def entry(store, x, script="s1", machine="m1"):
        inputs = {"the script": script, "the lock file": "l", "the engine": "e",
                  "the back-end": machine}
        folder = tmp_path / store / "tiny" / cache.key_of(inputs)
        folder.mkdir(parents=True)
        (folder / "result.json").write_text(json.dumps(
            {"script": "tiny.py", "values": {"x": x}, "figures": {}, "provenance": {},
             "cells": [{"outputs": [["stdout", f"{x}\n"]]}], "inputs": inputs}))
        (folder / cache.MANIFEST).write_text(json.dumps(cache.checksums(folder)))
        return folder.name

    k1 = entry("a", 1)
    entry("b", 1)  # the same run dealt to two shares: taken once
    assert "merged 1 runs" in merge([tmp_path / "a", tmp_path / "b"], tmp_path / "into")
    entry("c", 2)
    with pytest.raises(Exception, match=f"(?s)tiny run {k1} differs between .*value x: 1 in .*, 2 in"):
        merge([tmp_path / "a", tmp_path / "c"], tmp_path / "into2")
    entry("d", 1, script="s2")
    with pytest.raises(Exception, match="tiny has runs of different inputs"):
        merge([tmp_path / "a", tmp_path / "d"], tmp_path / "into3")
    entry("e", 1, machine="m2")  # the same source on another kind of machine
    merge([tmp_path / "a", tmp_path / "e"], tmp_path / "into5")
    assert [p.name for p in (tmp_path / "into5" / "tiny").iterdir()] == [k1]
    assert not (tmp_path / "into2").exists() and not (tmp_path / "into3").exists()
    (tmp_path / "b" / "tiny" / k1 / "result.json").write_text("{}")
    with pytest.raises(Exception, match="fails its manifest"):
        merge([tmp_path / "b"], tmp_path / "into4")
