"""``make audit``: Lighthouse scores of the pages that matter, served as a static host serves them.

Builds the site, serves ``site/`` on 127.0.0.1 with gzip (as GitHub Pages does), and runs
Lighthouse 12 (``npx lighthouse@12.2.3``, mobile settings) with Debian's Chromium on the home
page, every page with an interactive figure, the heaviest page and the pages the project's
settings name (this site's: one notebook view), three times each, and keeps each score's and
the total blocking time's median (Lighthouse's own advice: one run's performance score moves by
ten points on a busy machine). Prints the four category scores per page against the targets and
writes ``build/audit.json``. Not a test, since timings are noisy; accessibility is also tested,
with axe, in the browser tests.
"""

import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from rundocs.commands.build import site_dir
from rundocs.project import AUDIT, BUILD, CONFIG, ROOT

SITE = site_dir(CONFIG)
LIGHTHOUSE = "lighthouse@12.2.3"
RUNS = 3
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".py", ".ipynb")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzipped when the browser accepts it and the type is text."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzipped and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()  # also redirects "dir" to "dir/"
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def lighthouse(url: str, report: Path) -> dict[str, int]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    done = subprocess.run(
        ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
         "--chrome-flags=--headless=new --no-sandbox", "--form-factor=mobile"],
        env=env, capture_output=True, text=True)
    if done.returncode or not report.exists():
        raise SystemExit(f"Lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    found = json.loads(report.read_text())
    scores = {name: round(100 * found["categories"][name]["score"]) for name in TARGETS}
    return {**scores, "blocking ms": round(found["audits"]["total-blocking-time"]["numericValue"])}


def pages(site: Path) -> list[str]:
    """The home page, every page with an interactive figure, the heaviest page, and those the
    project's settings name (``audit``: this site's names a notebook view)."""
    built = {str(p.parent.relative_to(site)).removeprefix(".") + "/": p
             for p in site.rglob("index.html")}
    charted = sorted(u for u, p in built.items() if 'class="rundocs-chart"' in p.read_text())
    heaviest = max(built, key=lambda u: built[u].stat().st_size)
    return list(dict.fromkeys(["", *charted, heaviest, *AUDIT]))


def main() -> int:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(CONFIG)],
                   cwd=ROOT, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    handler = functools.partial(GzipHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    scores = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            for page in pages(SITE):
                page = page.lstrip("/")
                runs = [lighthouse(base + page, Path(folder) / f"{n}.json") for n in range(RUNS)]
                scores[page or "(home)"] = {name: statistics.median(run[name] for run in runs)
                                            for name in runs[0]}
    finally:
        server.shutdown()
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "audit.json").write_text(json.dumps(scores, indent=1))
    print(f"{'page':<30}" + "".join(f"{name:>16}" for name in TARGETS) + f"{'blocking ms':>14}")
    short = 0
    for page, found in scores.items():
        print(f"{page:<30}" + "".join(f"{found[n]:>12} {'ok' if found[n] >= t else '<' + str(t):>3}"
                                      for n, t in TARGETS.items()) + f"{found['blocking ms']:>14}")
        short += sum(found[n] < t for n, t in TARGETS.items())
    print(f"\n{short} score(s) below target (targets: "
          + ", ".join(f"{n} >= {t}" for n, t in TARGETS.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
