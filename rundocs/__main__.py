"""Command line: ``python -m rundocs run [NAME ...]``, ``serve``, ``build`` and
``merge STORE ...``.

Every fault is one line on stderr, ``rundocs: ...``, and a non-zero exit status: a bad option
is refused before anything runs, and a fault of the file system (a read-only run store, a
full disk) names the path and what to do instead of showing a traceback.
"""

import argparse
import os
import re
import sys
from pathlib import Path

from rundocs.axes import backends
from rundocs.axes.tensorflow import versions
from rundocs.commands.build import BUILDERS, build
from rundocs.commands.faults import explain
from rundocs.commands.serve import serve
from rundocs.errors import RunError
from rundocs.project import CONFIG, EXAMPLES, LESSONS, PUBLISHED, shown
from rundocs.publish.update import update
from rundocs.store import cache
from rundocs.store.merge import merge
from rundocs.store.runner import examples

NAME = re.compile(r"[A-Za-z_][\w-]*")  # an example's stem: no folder, no path


def share(text: str) -> tuple[int, int]:
    """``K/N`` -> (K, N), with 1 <= K <= N."""
    part, _, parts = text.partition("/")
    if not (part.isdigit() and parts.isdigit() and 1 <= int(part) <= int(parts)):
        raise argparse.ArgumentTypeError(f"'{text}' is not K/N with 1 <= K <= N (say 2/3)")
    return int(part), int(parts)


def positive(text: str) -> int:
    """A count of at least one."""
    if not (text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def fault(message: str) -> int:
    print(f"rundocs: {message}", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    for stream in (sys.stdout, sys.stderr):  # an ASCII locale still gets every message whole
        stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(prog="python -m rundocs")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="bring every example's run up to date")
    run.add_argument("names", nargs="*", help="examples to run (default: all)")
    run.add_argument("--jobs", type=positive, default=os.cpu_count() or 1,
                     help="runs at once (default: one per core; each run uses one thread)")
    run.add_argument("--force", action="store_true", help="ignore cached runs")
    run.add_argument("--no-publish", action="store_true",
                     help=f"leave {shown(PUBLISHED)} alone (for run stores other than the site's)")
    run.add_argument("--shard", type=share, metavar="K/N",
                     help="run only share K of N of the runs, balanced by their last times "
                          "(publishes nothing; join the shares' stores with `merge`)")
    run.add_argument("--export", type=Path, metavar="DIR",
                     help="also copy the runs made or found into DIR, a store of just them")
    run.add_argument("--backend", choices=list(backends.BACKENDS),
                     help="run under this numeric back-end (its settings, as check-backends "
                          "sets them; give it a store of its own with RUNDOCS_RUNS)")
    if versions.known():  # the TensorFlow kit is on, and has releases
        run.add_argument("--tensorflow", choices=versions.known(), metavar="RELEASE",
                         help="run under this TensorFlow release, from "
                              f"{shown(versions.LOCKS)}/RELEASE.lock, as check-versions does "
                              "(give it a store of its own with RUNDOCS_RUNS); "
                              f"releases: {', '.join(versions.known())}")
    run.set_defaults(tensorflow=None)
    commands.add_parser("machine", help="print this machine's kind (CPU model, instruction "
                        "set, core count and GPUs), as run keys tell machines apart")
    joined = commands.add_parser("merge", help="join run stores into one, refusing conflicts")
    joined.add_argument("stores", nargs="+", type=Path, help="run stores to join")
    joined.add_argument("--into", type=Path, default=None,
                        help=f"the store to join them into (default: the build's, {cache.RUNS})")
    joined.add_argument("--backend", choices=list(backends.BACKENDS),
                        help="the back-end the stores' runs were made under (as `run --backend` "
                             "made them): of two runs of one source on different machines, the "
                             "one this machine would make under it is kept")
    live = commands.add_parser("serve", help="serve the site; re-run an example when it is saved")
    live.add_argument("--dev-addr", default="127.0.0.1:8000")
    site = commands.add_parser("build", help="build the site; a failed build keeps the last "
                               "good one (built beside it, swapped in only on success)")
    site.add_argument("--builder", choices=BUILDERS, default="mkdocs")
    site.add_argument("--strict", action="store_true", help="abort the build on warnings")
    site.add_argument("-f", "--config-file", type=Path, default=CONFIG,
                      help="the site's configuration, in its project's root (default: %(default)s)")
    args = parser.parse_args(argv)

    store = args.into if args.command == "merge" and args.into else cache.RUNS
    option = "--into" if args.command == "merge" and args.into else "RUNDOCS_RUNS"
    try:
        return command(args)
    except OSError as error:  # the machine's fault, not an example's: one line, no traceback
        return fault(explain(error, store.absolute(), option))


def command(args: argparse.Namespace) -> int:
    """Carry out the parsed command; its exit status."""
    if args.command == "serve":
        return serve(args.dev_addr)
    if args.command == "build":
        return build(args.builder, args.strict, args.config_file.absolute())
    if args.command == "machine":
        facts = backends.fingerprint()  # what a run key holds of the machine, and no less
        parts = [facts["cpu"], facts["isa"], f"{facts['cores']} cores", *facts["gpus"]]
        print(re.sub(r"[^A-Za-z0-9.]+", "-", " ".join(parts)).strip("-"))
        return 0
    if args.command == "merge":
        if args.backend:  # the keys of runs this machine would make under it
            os.environ.update(backends.BACKENDS[args.backend][0])
        try:
            print(merge(args.stores, args.into or cache.RUNS))
        except RunError as error:
            return fault(str(error))
        return 0
    if args.backend:  # the runs read these settings from the environment (and key by them)
        os.environ.update(backends.BACKENDS[args.backend][0])
    if args.tensorflow:  # the same for the release, read by rundocs.axes.tensorflow.versions
        os.environ[versions.ACTIVE] = args.tensorflow
    outside = [n for n in args.names if not NAME.fullmatch(n)]
    if outside:
        return fault(f"'{outside[0]}' is not an example's name: name a script of {LESSONS}/ by "
                     f"its stem (NAME for {LESSONS}/NAME.py); nothing outside {LESSONS}/ is run")
    unknown = [n for n in args.names if not (EXAMPLES / f"{n}.py").is_file()]
    if unknown:
        return fault(f"there is no example {LESSONS}/{unknown[0]}.py")
    lessons = {p.stem for p in examples()}
    helpers = [n for n in args.names if n not in lessons]
    if helpers:
        return fault(f'{LESSONS}/{helpers[0]}.py has no "# %%" cells, so it is a helper module, '
                     "not an example: run the examples that import it, or split it into cells "
                     'with "# %% NAME" lines to make it one')
    if args.export and (args.export.resolve() == cache.RUNS.resolve()
                        or cache.RUNS.resolve() in args.export.resolve().parents):
        return fault(f"--export {args.export} is inside the run store {cache.RUNS}: the copies "
                     "would be taken for runs of examples; export into a folder outside it")
    try:
        update([EXAMPLES / f"{n}.py" for n in args.names] or examples(), args.jobs,
               args.force, publishing=not args.no_publish, part=args.shard,
               exporting=args.export)
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
