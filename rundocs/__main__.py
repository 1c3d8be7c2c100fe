"""Command line: ``python -m rundocs run [NAME ...] [--jobs N] [--force] [--no-publish]``."""

import argparse
import os
import sys

from rundocs import EXAMPLES, PUBLISHED
from rundocs.errors import RunError
from rundocs.notebook import publish
from rundocs.results import latest
from rundocs.runner import examples, run_all


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rundocs")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="bring every example's run up to date")
    run.add_argument("names", nargs="*", help="examples to run (default: all)")
    run.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    run.add_argument("--force", action="store_true", help="ignore cached runs")
    run.add_argument("--no-publish", action="store_true",
                     help="leave docs/examples alone (for run stores other than the site's)")
    args = parser.parse_args(argv)

    scripts = [EXAMPLES / f"{n}.py" for n in args.names] or examples()
    try:
        run_all(scripts, args.jobs, args.force)
        if args.no_publish:
            return 0
        for script in scripts:
            publish(latest(script.stem))
    except RunError as error:
        print(f"\nrundocs: {error}", file=sys.stderr)
        return 1
    stale = {p.stem for p in PUBLISHED.glob("*.py")} - {p.stem for p in examples()}
    for name in stale:  # an example that was deleted or renamed
        for suffix in (".py", ".ipynb"):
            (PUBLISHED / f"{name}{suffix}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
