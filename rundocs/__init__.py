"""Run the example scripts in ``examples/`` and feed their real output into the docs.

The pieces, in the order a build uses them:

* :mod:`rundocs.cells` splits a script into ``# %%`` cells and reads its ``# rundocs:``
  settings; :mod:`rundocs.names` says what an example may be called;
* :mod:`rundocs.child` executes one script in its own process, in a folder of its own, and
  records what it printed (as :mod:`rundocs.terminal` shows it), the figures it drew and the
  values it computed; :mod:`rundocs.lifetime` stops whatever processes it left;
* :mod:`rundocs.cache` keys each run by the content it depends on and stores it atomically;
* :mod:`rundocs.runner` runs every stale example in parallel (``python -m rundocs run``), or
  one share of them (``--shard K/N``), and :mod:`rundocs.merge` joins the shares' stores;
* :mod:`rundocs.notebook` turns a stored run into an executed ``.ipynb``, and
  :mod:`rundocs.outputs` shortens a long output for a page, publishing it whole beside it;
* :mod:`rundocs.markdown` is the Markdown extension that puts runs into pages, and
  :mod:`rundocs.checks` evaluates the ``{{ check: ... }}`` lines that guard their sentences;
  :mod:`rundocs.formulas` typesets the pages' formulas as MathML, and :mod:`rundocs.reading`
  measures how long a page takes to read;
* :mod:`rundocs.build` builds the site beside ``site/`` and swaps it in only when the build
  succeeds (``python -m rundocs build``), and :mod:`rundocs.faults` says a fault of the
  machine (a read-only store, a full disk) in one line;
* :mod:`rundocs.compare` says what two runs of one source must share
  (``make check-reproducible``);
* :mod:`rundocs.backends` names the numeric back-ends and the hardware a run used, and
  :mod:`rundocs.matrix` runs everything under each back-end (``make check-backends``);
* :mod:`rundocs.versions` runs an example under another TensorFlow release, in an environment
  installed from that release's lock in ``locks/``; :mod:`rundocs.matrix` runs everything
  under each (``make check-versions``) and :mod:`rundocs.checked` keeps what it found.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(os.environ.get("RUNDOCS_EXAMPLES") or ROOT / "examples").absolute()  # lessons
RUNS = Path(os.environ.get("RUNDOCS_RUNS") or ROOT / "build" / "runs").absolute()  # run store
PUBLISHED = ROOT / "docs" / "examples"
LOCK_FILE = ROOT / "requirements.lock"
