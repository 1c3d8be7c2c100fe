"""Command line: ``python -m rundocs run [NAME ...]`` and ``python -m rundocs serve``."""

import argparse
import os
import re
import sys

from rundocs import EXAMPLES
from rundocs.errors import RunError
from rundocs.runner import examples
from rundocs.serve import serve
from rundocs.update import update

NAME = re.compile(r"[A-Za-z_][\w-]*")  # an example's stem: no folder, no path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rundocs")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="bring every example's run up to date")
    run.add_argument("names", nargs="*", help="examples to run (default: all)")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                     help="runs at once (default: one per core; each run uses one thread)")
    run.add_argument("--force", action="store_true", help="ignore cached runs")
    run.add_argument("--no-publish", action="store_true",
                     help="leave docs/examples alone (for run stores other than the site's)")
    live = commands.add_parser("serve", help="serve the site; re-run an example when it is saved")
    live.add_argument("--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)

    if args.command == "serve":
        return serve(args.dev_addr)
    outside = [n for n in args.names if not NAME.fullmatch(n)]
    if outside:
        print(f"rundocs: '{outside[0]}' is not an example's name: name a script of examples/ "
              "by its stem (NAME for examples/NAME.py); nothing outside examples/ is run",
              file=sys.stderr)
        return 1
    unknown = [n for n in args.names if not (EXAMPLES / f"{n}.py").is_file()]
    if unknown:
        print(f"rundocs: there is no example examples/{unknown[0]}.py", file=sys.stderr)
        return 1
    try:
        update([EXAMPLES / f"{n}.py" for n in args.names] or examples(), args.jobs,
               args.force, publishing=not args.no_publish)
    except RunError as error:
        print(f"\nrundocs: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nrundocs: interrupted; the running examples were stopped and nothing of "
              "theirs was stored", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
