"""``python -m rundocs build``: build the site beside ``site/``, and swap it in only on success.

MkDocs empties ``site/`` before it builds, so one failed build (a false ``{{ check: ... }}``,
a broken link in strict mode) used to leave no site at all: the copy an author was serving or
about to publish was gone. Here the builder writes into a fresh folder beside ``site/``; a
build that succeeds takes the place of ``site/`` in one atomic step where Linux allows
(:func:`rundocs.files.replace`, as the run store replaces an entry), and one that fails is
removed, leaving the last good site as it was.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from rundocs.files import replace
from rundocs.run.lifetime import parent_death_signal

BUILDERS = ("mkdocs", "zensical")


def build(builder: str, strict: bool, config: Path) -> int:
    """Build the site of ``config`` with ``builder`` into its ``site_dir``; the exit status.

    On failure the builder's own output (passed through as it comes) says why, and one line
    says that the last good site was kept.
    """
    site = site_dir(config)
    site.parent.mkdir(parents=True, exist_ok=True)
    staged = staging(site)
    try:
        status = run_builder(builder, strict, config, staged)
        if status == 0:
            replace(staged, site)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # a failed build, or what was left of it
    if status:
        kept = (f"the last good site in {site} was kept" if site.exists()
                else f"nothing was written to {site}")
        print(f"rundocs: the {builder} build failed (its output is above); {kept}",
              file=sys.stderr)
    return status


def site_dir(config: Path) -> Path:
    """Where ``config`` puts the site: its ``site_dir``, from its own folder (default site/)."""
    settings = yaml.safe_load(config.read_text()) or {}
    return (config.parent / settings.get("site_dir", "site")).absolute()


def staging(site: Path) -> Path:
    """A fresh, empty folder beside ``site``, with the permissions a new folder gets, so the
    site keeps them once swapped in (a temporary folder is made readable by its owner only)."""
    staged = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    umask = os.umask(0)
    os.umask(umask)
    staged.chmod(0o777 & ~umask)
    return staged


def run_builder(builder: str, strict: bool, config: Path, staged: Path) -> int:
    """Build the site of ``config`` into ``staged``; the builder's exit status.

    MkDocs takes the folder as ``--site-dir``. Zensical has no such option: it reads a copy of
    the configuration, beside it in the project's root as Zensical requires, that names the
    folder; ``--clean``, since it caches each page by its Markdown source alone and would not
    see that a run changed.
    """
    flags = ["--strict"] if strict else []
    if builder == "mkdocs":
        command = ["mkdocs", "build", "-f", str(config), "--site-dir", str(staged), *flags]
        return builder_run(command, config.parent)
    copy = config.with_name(f".build-{staged.name.lstrip('.')}.yml")
    settings = yaml.safe_load(config.read_text()) or {}
    copy.write_text(yaml.safe_dump({**settings, "site_dir": str(staged)}, sort_keys=False))
    try:
        command = ["zensical", "build", "-f", str(copy), "--clean", *flags]
        return builder_run(command, config.parent)
    finally:
        copy.unlink(missing_ok=True)


def builder_run(command: list[str], cwd: Path) -> int:
    """Run the builder's ``command``; it ends when this process ends, however that ends."""
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, check=False,
                          preexec_fn=parent_death_signal(signal.SIGTERM)).returncode
