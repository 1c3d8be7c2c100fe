# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Each creates .venv from the hash-pinned lock file and fetches MNIST when missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The install's stamp is named by a hash of what it installs from, not dated: make reinstalls
# exactly when the lock or pyproject.toml changes, whatever their files' dates say.
LOCKED := $(shell $(PYTHON) -c "import hashlib; print(hashlib.sha256(open('requirements.lock', \
  'rb').read() + b'\0' + open('pyproject.toml', 'rb').read()).hexdigest()[:12])")
INSTALLED := $(VENV)/.installed-$(LOCKED)

.PHONY: serve build test runs data browser lock clean bench audit check-reproducible check-backends check-versions check-seeds

serve: runs  ## serve the site on 127.0.0.1:8000; a saved example is re-run and its pages reload
	$(PY) -m rundocs serve --dev-addr 127.0.0.1:8000

build: runs  ## build the site into site/; a failed build keeps the last good one
	$(PY) -m rundocs build

test: runs browser  ## run the whole test suite
	$(PY) -m pytest

runs: $(INSTALLED) data/mnist.npz  ## bring every example's run up to date (cached by content)
	$(PY) -m rundocs run

data: data/mnist.npz

# The browser tests drive Debian's Chromium (a browser a test tool downloads for itself
# cannot be fetched here). Installed when missing, if this user may; otherwise they skip.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "note: no Chromium and no root to install it: the browser tests will be skipped"

data/mnist.npz: | $(INSTALLED)
	$(PY) -m rundocs.axes.tensorflow.mnist_fetch

$(INSTALLED):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# Byte-compile everything now: where PYTHONDONTWRITEBYTECODE is set, nothing else writes
	@# .pyc files, and every example would spend ~5 s compiling TensorFlow's sources again.
	$(PY) -m compileall -q -j 0 $(VENV)/lib >/dev/null
	rm -f $(VENV)/.installed $(VENV)/.installed-*
	touch $@

lock:  ## re-resolve requirements.lock from pyproject.toml, and each locks/NAME.lock from its .in (needs uv)
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	@# A line `# uv: OPTIONS` in a .in file adds OPTIONS (say, --exclude-newer DATE).
	for in in locks/*.in; do uv pip compile "$$in" --python-version 3.11 --generate-hashes \
	  --python-platform x86_64-unknown-linux-gnu $$(sed -n 's/^# uv: //p' "$$in") \
	  -o "$${in%.in}.lock" || exit 1; done

clean:
	rm -rf site build docs/examples

bench: $(INSTALLED) data/mnist.npz  ## time cold, warm and one-edit builds; writes build/bench.json
	$(PY) -m rundocs.commands.bench

audit: runs browser  ## Lighthouse scores (mobile): home, chart pages, heaviest page, a notebook view -> build/audit.json
	$(PY) -m rundocs.commands.audit

# The two checks compare with the build's runs (build/runs), bringing them up to date first.
# EXAMPLES="a b" limits either check to those examples (default: all); BACKENDS=onednn-off
# limits check-backends to the build's runs and those back-ends.
check-reproducible: $(INSTALLED) data/mnist.npz  ## run every example once more from scratch; fail on any difference from the build's run
	$(PY) -m rundocs.commands.reproducible $(EXAMPLES)

check-backends: $(INSTALLED) data/mnist.npz  ## the build's runs and every example under each other numeric back-end; check every claim on each
	$(PY) -m rundocs.commands.matrix $(if $(BACKENDS),--backends=$(BACKENDS)) $(EXAMPLES)

check-versions: $(INSTALLED) data/mnist.npz  ## every example under each other TensorFlow release in pyproject.toml's [tool.rundocs.tensorflow] checked; check every claim on each -> build/versions.json
	$(PY) -m rundocs.commands.matrix --versions $(EXAMPLES)

# SEEDS=7,8 picks the seeds (default 1,2); the lessons' own seed, 0, is the build's runs.
check-seeds: $(INSTALLED) data/mnist.npz  ## every example again with its SEED = 0 set to each of SEEDS; check every claim on each -> build/seeds.json
	$(PY) -m rundocs.commands.matrix --seeds=$(SEEDS) $(EXAMPLES)
