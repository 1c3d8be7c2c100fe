"""The hosted workflow is code: linted, and its shard and merge steps run here as the jobs run
them (issue 23), on small examples."""

import json
import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import markdown
import pytest
import yaml

from rundocs.axes import backends
from rundocs.pages.markdown import RunsExtension
from rundocs.project import ROOT
from rundocs.store import cache, results
from rundocs.store.compare import differences
from rundocs.store.merge import merge
from rundocs.store.runner import shard

WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
IMAGE = ROOT / ".github" / "ci" / "Dockerfile"  # the jobs' image, where Dependabot sees it
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
    done = subprocess.run([str(BIN / "zizmor"), "--offline", "--persona=pedantic", "--format",
                           "json", str(WORKFLOW), str(DEPENDABOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def steps(workflow: dict, uses: str = "") -> list[tuple[str, dict]]:
    """Every (job, step) of the workflow, or those whose action starts with ``uses``."""
    return [(name, s) for name, job in workflow["jobs"].items() for s in job["steps"]
            if not uses or s.get("uses", "").startswith(uses + "@")]


def test_every_action_is_pinned_to_a_commit(workflow):
    uses = [s["uses"] for _, s in steps(workflow) if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u) for u in uses), uses
    text = WORKFLOW.read_text()  # each with its version beside it
    assert all(re.search(rf"{re.escape(u)}  # v\d+(\.\d+)*\n", text) for u in uses), uses


def test_every_container_is_the_digest_pinned_image_dependabot_keeps_current(workflow):
    image = re.search(r"^FROM (\S+)$", IMAGE.read_text(), re.MULTILINE).group(1)
    assert re.fullmatch(r"python:3\.11-bookworm@sha256:[0-9a-f]{64}", image), image
    containers = {name: job["container"] for name, job in workflow["jobs"].items()
                  if "container" in job}
    assert set(containers) == {"runs", "site", "versions", "seeds"}
    assert set(containers.values()) == {image}, containers


def test_dependabot_keeps_the_actions_and_the_image_current():
    config = yaml.safe_load(DEPENDABOT.read_text())
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert updates.keys() == {"github-actions", "docker"}
    assert updates["github-actions"]["directory"] == "/"
    assert ROOT / updates["docker"]["directory"].lstrip("/") == IMAGE.parent
    assert all(u["schedule"]["interval"] == "weekly" for u in updates.values())


def test_every_job_has_a_time_limit_and_only_the_publishing_jobs_may_write(workflow):
    assert workflow["permissions"] == {}
    text = WORKFLOW.read_text()
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 90, name
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        assert writes == {"deploy": {"pages", "id-token"}, "notebooks": {"contents"}}.get(
            name, set()), name
        assert all(v in ("read", "write") for v in job["permissions"].values()), name
    for name in ("deploy", "notebooks"):
        assert when(workflow["jobs"][name]["if"], "push", "refs/heads/main"), name
        assert not when(workflow["jobs"][name]["if"], "push", "refs/heads/other"), name
        assert not when(workflow["jobs"][name]["if"], "pull_request", "refs/heads/main"), name
    assert "peaceiris" not in text and "gh-pages" not in text
    for name, step in steps(workflow, "actions/checkout"):
        assert step["with"]["persist-credentials"] is False, name


def when(condition: str, event: str, ref: str) -> bool:
    """The value of a workflow condition made of github.event_name, github.ref, ==, != and
    &&, || and parentheses, for a run of ``event`` on ``ref``."""
    expression = condition.strip().removeprefix("${{").removesuffix("}}").strip()
    allowed = r"github\.event_name|github\.ref|'[^']*'|==|!=|&&|\|\||[()]|\s+"
    assert re.fullmatch(f"(?:{allowed})+", expression), condition
    python = (expression.replace("&&", " and ").replace("||", " or ")
              .replace("github.event_name", repr(event)).replace("github.ref", repr(ref)))
    return bool(eval(python, {"__builtins__": {}}))  # only the tokens above reach eval


def test_the_run_cache_flows_only_from_main_to_pull_requests(workflow):
    """Main never restores the run cache (its builds make their own runs); a pull request
    restores main's and never saves; only a push to main saves, and only when the build
    passed (no always())."""
    assert not steps(workflow, "actions/cache")  # never the one that restores and saves
    restores = steps(workflow, "actions/cache/restore")
    assert {job for job, _ in restores} == {"runs", "site"}
    for job, step in restores:
        assert when(step["if"], "pull_request", "refs/pull/7/merge"), job
        assert not when(step["if"], "push", "refs/heads/main"), job
    saves = steps(workflow, "actions/cache/save")
    assert [job for job, _ in saves] == ["site"]
    condition = saves[0][1]["if"]
    assert when(condition, "push", "refs/heads/main")
    assert not when(condition, "pull_request", "refs/pull/7/merge")
    assert not when(condition, "push", "refs/heads/other")
    # what a pull request restores is what main saves: the same key, up to the run
    key = saves[0][1]["with"]["key"]
    for job, step in restores:
        assert step["with"]["path"] == saves[0][1]["with"]["path"], job
        assert key.startswith(step["with"]["restore-keys"].split()[0]), job


def test_a_newer_push_cancels_a_pull_request_run_but_never_one_of_main(workflow):
    cancel = workflow["concurrency"]["cancel-in-progress"]
    assert isinstance(cancel, str), cancel  # an expression, not always true
    assert when(cancel, "pull_request", "refs/pull/7/merge")
    assert not when(cancel, "push", "refs/heads/main")
    assert "github.ref" in workflow["concurrency"]["group"]


def test_artifacts_never_collide_on_a_rerun(workflow):
    """A re-run uploads under a name of its attempt, or replaces its own artifact."""
    uploads = steps(workflow, "actions/upload-artifact") + steps(
        workflow, "actions/upload-pages-artifact")
    assert len(uploads) == 6
    for job, step in uploads:
        assert ("${{ github.run_attempt }}" in step["with"]["name"]
                or step["with"].get("overwrite") is True), (job, step)
    store = step_using(workflow["jobs"]["runs"], "actions/upload-artifact")["with"]
    assert store["overwrite"] is True  # a re-run of failed shares reuses the others' stores


def step_using(job: dict, uses: str, **where) -> dict:
    return next(s for s in job["steps"] if s.get("uses", "").startswith(uses + "@")
                and all(s.get(k) == v for k, v in where.items()))


def test_deploy_publishes_the_site_by_its_artifact_id_through_pages(workflow):
    jobs = workflow["jobs"]
    upload = step_using(jobs["site"], "actions/upload-artifact", id="site")
    assert upload["with"]["path"] == "site/"
    assert jobs["site"]["outputs"]["site-artifact"] == "${{ steps.site.outputs.artifact-id }}"
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deploy.outputs.page_url }}"}
    for name in ("deploy", "notebooks"):
        assert "site" in jobs[name]["needs"], name
        download = step_using(jobs[name], "actions/download-artifact")
        assert download["with"] == {"artifact-ids": "${{ needs.site.outputs.site-artifact }}",
                                    "path": "site"}, name
        guard = jobs[name]["steps"][0]  # an empty ID would download every artifact of the run
        assert guard["env"]["SITE_ARTIFACT"] == download["with"]["artifact-ids"], name
        for value, passes in (("", False), ("12 34", False), ("x", False), ("4207", True)):
            done = subprocess.run(["bash", "-eo", "pipefail", "-c", guard["run"]],
                                  capture_output=True, env={**os.environ, "SITE_ARTIFACT": value})
            assert (done.returncode == 0) == passes, (name, value)
    pages = step_using(deploy, "actions/upload-pages-artifact")
    deployed = step_using(deploy, "actions/deploy-pages", id="deploy")
    assert pages["with"]["path"] == "site/"
    assert deployed["with"]["artifact_name"] == pages["with"]["name"]
    assert "lint" in deploy["needs"] and "deploy" in jobs["notebooks"]["needs"]


def test_the_machine_step_fails_when_the_machine_command_fails(workflow, tmp_path):
    runs = step(workflow["jobs"]["runs"], "Name this machine's kind")
    assert step(workflow["jobs"]["site"], "Name this machine's kind") == runs
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    output = tmp_path / "output"
    for fake, passes in (("exit 1", False), ("echo 'bad kind'", False), ("true", False),
                         ("echo AMD-EPYC-AVX2-4-cores", True)):
        python.write_text(f"#!/bin/sh\n{fake}\n")
        python.chmod(0o755)
        output.write_text("")
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", runs["run"]], cwd=tmp_path,
                              capture_output=True, text=True,
                              env={**os.environ, "GITHUB_OUTPUT": str(output)})
        assert (done.returncode == 0) == passes, (fake, done.stdout + done.stderr)
        assert output.read_text() == ("kind=AMD-EPYC-AVX2-4-cores\n" if passes else ""), fake


def test_the_machine_kind_is_a_cache_key_part():
    """The cache's machine name holds every part of the machine a run key holds: CPU model,
    instruction set, core count and GPUs (two runners of one CPU and other core counts key
    their runs apart, so their caches are apart too)."""
    kind = subprocess.run([sys.executable, "-m", "rundocs", "machine"], capture_output=True,
                          text=True, check=True).stdout.strip()
    facts = backends.fingerprint()
    assert re.fullmatch(r"[A-Za-z0-9.-]+", kind), kind
    isa = re.escape(facts["isa"].replace(" ", "-"))
    assert re.search(rf"-{isa}-{facts['cores']}-cores(-|$)", kind), (kind, facts)
    assert set(facts) - {"cpu", "isa", "cores", "gpus"} == {"kernels", "settings"}  # per back-end
    for gpu in facts["gpus"]:
        assert re.sub(r"[^A-Za-z0-9.]+", "-", gpu).strip("-") in kind


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


def checkout(folder: Path) -> None:
    """A job runs in a checkout of this repository: its pyproject.toml holds the engine's
    settings for this site (its back-ends among them), and its lock is part of every run key."""
    for name in ("pyproject.toml", "requirements.lock"):
        if not (folder / name).exists():
            shutil.copyfile(ROOT / name, folder / name)


def shell(script: str, cwd: Path, **env) -> None:
    checkout(cwd)
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
    upload = step_using(jobs["runs"], "actions/upload-artifact")["with"]
    download = step_using(jobs["site"], "actions/download-artifact")["with"]
    assert download["merge-multiple"] is False  # each artifact into a folder of its name
    for backend in backends:
        for part in range(1, SHARDS + 1):  # each job on a machine of its own
            job = tmp_path / f"job-{backend}-{part}"
            job.mkdir()
            (job / ".venv").symlink_to(BIN.parent)  # the commands call .venv/bin/python
            shell(step(jobs["runs"], "Run this share")["run"], job, BACKEND=backend,
                  SHARD=str(part), **env)
            name, path = (matrix(upload[k], backend, part) for k in ("name", "path"))
            assert fnmatch(name, download["pattern"])
            shutil.copytree(job / path, site / download["path"] / name)  # what site downloads
    (site / ".venv").symlink_to(BIN.parent)
    join = step(jobs["site"], "Join the shares' stores")
    assert join["env"]["BACKENDS"].split() == backends
    shell(join["run"], site, **env, **join["env"])

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


def matrix(text: str, backend: str, shard: int) -> str:
    return text.replace("${{ matrix.backend }}", backend).replace("${{ matrix.shard }}",
                                                                    str(shard))


def test_the_site_joins_exactly_one_store_per_share_and_no_other(workflow, tmp_path):
    """Any other store-* artifact of the run (a job adding store-zz) fails the join, and so
    does a share's store missing; nothing is joined then."""
    jobs = workflow["jobs"]
    join = step(jobs["site"], "Join the shares' stores")
    backends = jobs["runs"]["strategy"]["matrix"]["backend"]
    name = step_using(jobs["runs"], "actions/upload-artifact")["with"]["name"]
    folder = step_using(jobs["site"], "actions/download-artifact")["with"]["path"]
    (tmp_path / ".venv").symlink_to(BIN.parent)
    checkout(tmp_path)

    def attempt(names: list[str]) -> subprocess.CompletedProcess:
        shutil.rmtree(tmp_path / "build", ignore_errors=True)
        for each in names:
            (tmp_path / folder / each).mkdir(parents=True)
        return subprocess.run(["bash", "-eo", "pipefail", "-c", join["run"]], cwd=tmp_path,
                              capture_output=True, text=True,
                              env={**os.environ, "SHARDS": str(SHARDS), **join["env"]})

    expected = [matrix(name, b, k) for b in backends for k in range(1, SHARDS + 1)]
    assert len(expected) == 12
    done = attempt(expected)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("merged 0 runs from 3 stores") == len(backends)
    done = attempt([*expected, "store-zz"])
    assert done.returncode and "not expected [store-zz]" in done.stdout, done.stdout
    done = attempt(expected[1:])
    assert done.returncode and f"missing [{expected[0]}]" in done.stdout, done.stdout
    assert not (tmp_path / "build" / "runs").exists()
    done = attempt([])  # nothing downloaded at all
    assert done.returncode and "missing [store-" in done.stdout, done.stdout


def test_the_notebooks_branch_gets_one_new_commit_per_change_never_forced(workflow, tmp_path):
    """The notebooks job's push, against a local repository standing in for GitHub: the
    first creates the branch, an unchanged site adds nothing, a changed notebook adds one
    commit on top of the last."""
    publish = step(workflow["jobs"]["notebooks"], "Add the executed notebooks")
    assert "--force" not in publish["run"] and ":refs/heads/" in publish["run"]
    assert " +" not in publish["run"].split("git push")[1].splitlines()[0]
    assert publish["env"]["TOKEN"] == "${{ github.token }}"
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "-C", str(remote), "config", "receive.denyNonFastForwards", "true"],
                   check=True)
    workspace = tmp_path / "workspace"
    (workspace / "site" / "examples").mkdir(parents=True)
    (workspace / "site" / "index.html").write_text("<p>not a notebook</p>")
    env = {**os.environ, "TOKEN": "t0ken", "REPOSITORY": "owner/repo",
           "SERVER": "https://github.com", "GITHUB_WORKSPACE": str(workspace),
           "GITHUB_SHA": "abc123", "GITHUB_REF_NAME": "main",
           "GIT_CONFIG_COUNT": "1",  # GitHub's address, with the token, leads here instead
           "GIT_CONFIG_KEY_0": f"url.{remote.as_uri()}.insteadOf",
           "GIT_CONFIG_VALUE_0": "https://x-access-token:t0ken@github.com/owner/repo.git"}

    def publish_once(notebooks: dict[str, str]) -> list[str]:
        for old in (workspace / "site" / "examples").iterdir():
            old.unlink()
        for name, text in notebooks.items():
            (workspace / "site" / "examples" / f"{name}.ipynb").write_text(text)
        temp = tmp_path / f"runner-temp-{len(list(tmp_path.glob('runner-temp-*')))}"
        temp.mkdir()
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", publish["run"]], cwd=workspace,
                              capture_output=True, text=True, env={**env, "RUNNER_TEMP": str(temp)})
        assert done.returncode == 0, done.stdout + done.stderr
        return subprocess.run(["git", "-C", str(remote), "rev-list", "notebooks"],
                              capture_output=True, text=True, check=True).stdout.split()

    first = publish_once({"a": "{}", "b": "{}"})
    assert len(first) == 1
    files = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only",
                            "notebooks"], capture_output=True, text=True, check=True).stdout
    assert files.split() == ["README.md", "examples/a.ipynb", "examples/b.ipynb"]
    assert publish_once({"a": "{}", "b": "{}"}) == first  # nothing changed: no commit
    second = publish_once({"a": '{"cells": []}'})  # b's notebook is gone, a's changed
    assert len(second) == 2 and second[1:] == first  # on top of the last, not instead of it
    files = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only",
                            "notebooks"], capture_output=True, text=True, check=True).stdout
    assert files.split() == ["README.md", "examples/a.ipynb"]
    # the Colab links lead to this branch, at the path the job writes
    from rundocs.publish.notebook import links

    assert "/blob/notebooks/examples/a.ipynb" in links("a")["Run in Google Colab"]


def test_merge_refuses_runs_that_disagree(tmp_path, monkeypatch):
    monkeypatch.setattr("rundocs.store.merge.EXAMPLES", tmp_path / "examples")
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
