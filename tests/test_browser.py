"""The built site as a reader meets it: headless Chromium against a local server.

Uses Debian's Chromium (`make test` installs it where it can). Screenshots of every page in
light and dark mode, desktop and phone width, go to build/screenshots/.
"""

import contextlib
import functools
import http.server
import os
import shutil
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import nbformat
import pytest

from rundocs.project import ROOT
from rundocs.publish import charts

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
SHOTS = ROOT / "build" / "screenshots"

if not CHROMIUM.exists():
    reason = "Chromium is not installed (`make test` installs Debian's chromium when run as root)"
    if os.environ.get("CI"):
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def server(sites):
    """The MkDocs site served on 127.0.0.1; yields its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(sites["mkdocs"]))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), headless=True,
            executable_path=str(CHROMIUM), args=FLAGS,
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def pages(sites):
    """Every built page, as a path relative to the site root."""
    site = sites["mkdocs"]
    return sorted(f"{p.parent.relative_to(site)}/".removeprefix("./")
                  for p in site.rglob("index.html"))


def visit(browser, url, width=1280, height=900, scheme="light"):
    """Open ``url`` and return (page, console errors, failed requests, hosts requested).

    ``scheme`` is the reader's system preference, which picks the site's light or dark palette.
    """
    page = browser.new_page()
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": height})
    errors, failed, hosts = [], [], set()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
    page.goto(url, wait_until="networkidle")
    return page, errors, failed, hosts


def test_every_page_loads_cleanly_and_stays_on_localhost(browser, server, pages):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in pages:
        page, errors, failed, hosts = visit(browser, server + path.lstrip("/"))
        page.eval_on_selector_all("img", "imgs => imgs.forEach(i => i.loading = 'eager')")
        page.wait_for_function("[...document.images].every(i => i.complete)")  # lazy ones too
        broken_images = page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => i.naturalWidth === 0).length")
        hosts.discard(None)  # data: URIs
        problems += [f"{path}: console error {e}" for e in errors]
        problems += [f"{path}: failed request {u}" for u in failed]
        problems += [f"{path}: {broken_images} images did not load"] * bool(broken_images)
        problems += [f"{path}: request to {h}" for h in hosts - {"127.0.0.1"}]
        page.close()
    assert not problems, "\n".join(problems)


def test_screenshots_in_both_schemes_and_no_sideways_scroll_on_phones(browser, server, pages):
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    wide = []
    for path in pages:
        slug = path.strip("/").replace("/", "-") or "home"
        for size, (width, height) in SIZES.items():
            page = visit(browser, server + path.lstrip("/"), width, height)[0]
            for scheme in ("default", "slate"):
                page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
                page.screenshot(path=SHOTS / f"{slug}-{size}-{scheme}.png")
            if size == "phone":
                overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                if overflow > 0:
                    wide.append(f"{path} scrolls sideways by {overflow}px on a phone")
            page.close()
    assert not wide, "\n".join(wide)


def test_every_static_figure_is_legible_on_a_phone(browser, server, pages):
    """On a 390 px phone, every figure's smallest text is at least 9 CSS px tall: the figure
    is never drawn narrower than that (it scrolls sideways), and the engine recorded the size
    of its smallest text when the run drew it."""
    problems, count = [], 0
    for path in pages:
        page = visit(browser, server + path.lstrip("/"), *SIZES["phone"])[0]
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for shown in page.evaluate("""() => [...document.querySelectorAll('article figure img')]
                .filter(i => getComputedStyle(i).display !== 'none')
                .map(i => ({src: i.getAttribute('src'), width: i.getBoundingClientRect().width,
                            natural: +i.getAttribute('width'), text: +(i.dataset.textPx || 0),
                            overflow: document.documentElement.scrollWidth - innerWidth}))"""):
            count += 1
            smallest = shown["width"] / shown["natural"] * shown["text"]
            if smallest < 8.95:
                problems.append(f"{path}{shown['src']}: smallest text {smallest:.1f} px "
                                f"({shown['text']} px in the file)")
            if shown["overflow"] > 0:
                problems.append(f"{path}: a figure widens the page by {shown['overflow']} px")
        page.close()
    assert count >= 30 and not problems, "\n".join(problems) or f"only {count} figures"


def test_search_finds_a_page_by_a_word_in_its_body(browser, server):
    page = visit(browser, server)[0]
    page.keyboard.press("/")  # Material's shortcut that opens search
    page.keyboard.type("blank")
    page.wait_for_selector(".md-search-result__item a[href*='experiment']", timeout=10_000)
    page.close()


@pytest.mark.parametrize("words, lessons", [
    ("learning rate", ("step-size", "concept", "glossary")),
    ("backpropagation", ("backprop", "concept", "glossary")),
])
def test_a_search_for_a_concept_lands_first_on_a_lesson_that_teaches_it(
        browser, server, words, lessons):
    page = visit(browser, server)[0]
    page.keyboard.press("/")
    page.keyboard.type(words)
    first = page.wait_for_selector(".md-search-result__item a", timeout=10_000)
    href = first.get_attribute("href")
    assert any(f"{lesson}/" in href for lesson in lessons), f"{words!r} -> {href}"
    page.close()


def test_the_dark_mode_toggle_switches_the_scheme(browser, server):
    page = visit(browser, server)[0]
    before = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component='palette'] label:visible")
    assert page.get_attribute("body", "data-md-color-scheme") != before
    page.close()


def test_every_code_block_gets_its_copy_button_as_it_comes_into_view(browser, server):
    """content.lazy: the theme mounts a block's button when the block is seen, not at load."""
    page = visit(browser, server + "experiment/", *SIZES["phone"])[0]
    buttons = "button.md-code__button, button.md-clipboard"
    blocks = page.locator(".md-typeset div.highlight:not(details:not([open]) div.highlight)")
    assert blocks.count() > 3
    at_load = page.locator(buttons).count()
    for number in range(blocks.count()):
        blocks.nth(number).scroll_into_view_if_needed()
        blocks.nth(number).locator(buttons).wait_for(timeout=5_000)
    assert at_load < blocks.count(), "every button was mounted at load"
    page.close()


def test_practice_answers_are_hidden_until_revealed(browser, server):
    page = visit(browser, server + "practice/")[0]
    answers = page.locator("details.success")
    assert answers.count() >= 5
    first = answers.first
    assert not first.evaluate("d => d.open")
    first.locator("summary").click()
    assert first.evaluate("d => d.open")
    page.close()


def test_downloads_are_served_and_valid(server, sites):
    for script in sorted((sites["mkdocs"] / "examples").glob("*.py")):
        source = urllib.request.urlopen(f"{server}examples/{script.name}").read().decode()
        compile(source, script.name, "exec")
        notebook = f"{server}examples/{script.stem}.ipynb"
        nbformat.validate(nbformat.reads(urllib.request.urlopen(notebook).read().decode(), 4))


def test_no_internal_link_is_broken(browser, server, pages):
    links, broken = set(), []
    for path in pages:
        page = visit(browser, server + path.lstrip("/"))[0]
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            if href.startswith(server):
                links.add(urljoin(href, urlparse(href).path))
        page.close()
    for link in sorted(links):
        try:
            urllib.request.urlopen(link)
        except OSError as error:
            broken.append(f"{link}: {error}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(browser, server, pages, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []
    for path in pages:
        page = visit(browser, server + path.lstrip("/"), scheme=scheme)[0]
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                where = "; ".join(node["target"][0] if isinstance(node["target"][0], str)
                                  else str(node["target"][0]) for node in violation["nodes"][:3])
                found.append(f"{path} [{scheme}]: {violation['id']} ({violation['impact']}, "
                             f"{len(violation['nodes'])}x): {violation['help']} — e.g. {where}")
        page.close()
    assert not found, "\n".join(found)


def interactive_expectations(run_of):
    """Per page: the chart's readout at its first value and at the slider's start (Home)."""
    classifier, lr = run_of("metrics_classifier"), run_of("concept_lr")
    experiment, sin = run_of("mnist_experiment"), run_of("optimizers_sin")
    directions = run_of("optimizers_directions")
    first = charts.table_with(charts.load(classifier, "threshold_chart"), "TP")[0]
    steps = experiment.value("snapshot_steps")
    return {
        "metrics/": (f"TP = {classifier.value('tp')}", f"TP = {first['TP']}"),
        "step-size/": (f"step {lr.value('STEPS')}: loss", "step 0: loss"),
        "optimizers/": (f"after epoch {sin.value('EPOCHS')}", "untrained"),
        "momentum/": (f"step {directions.value('CHART_STEPS')}: loss", "step 0: loss"),
        "experiment/": (f"update {steps[-1]} (epoch 5.00): test accuracy "
                        f"{experiment.value('test_accuracy'):.1%}", "update 0 (epoch 0.00)"),
    }


@contextlib.contextmanager
def serving(folder):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_interactive_figures_move_with_the_keyboard_and_show_the_runs_values(
        browser, sites, run_of, builder):
    problems = []
    with serving(sites[builder]) as base:
        for path, (at_start, at_home) in interactive_expectations(run_of).items():
            page, errors, failed, hosts = visit(browser, base + path, scheme="dark")
            page.locator("figure", has=page.locator(".rundocs-chart")).scroll_into_view_if_needed()
            figure = page.locator("figure.rundocs-interactive")
            figure.locator(".rundocs-chart-view svg").wait_for(timeout=15_000)
            if figure.locator("img").is_visible():
                problems.append(f"{path}: the static image still shows beside the chart")
            slider = figure.locator("input[type=range]")
            label = slider.evaluate("s => s.closest('label')?.textContent.trim() || ''")
            text = " ".join(figure.locator("svg text").all_text_contents())
            if at_start not in text:
                problems.append(f"{path}: expected '{at_start}' at first, chart says: {text[:200]}")
            slider.focus()
            page.keyboard.press("Home")
            page.wait_for_function("t => !document.querySelector('figure.rundocs-interactive svg')"
                                   ".textContent.includes(t)", arg=at_start, timeout=5_000)
            moved = " ".join(figure.locator("svg text").all_text_contents())
            value = slider.evaluate("s => [s.value, s.min]")
            problems += [f"{path}: slider has no label"] * (not label)
            problems += [f"{path}: Home left the slider at {value[0]}, not {value[1]}"] * (
                value[0] != value[1])
            if at_home not in moved:
                problems.append(f"{path}: expected '{at_home}' after Home, chart says: "
                                f"{moved[:200]}")
            hosts.discard(None)
            problems += [f"{path}: console error {e}" for e in errors]
            problems += [f"{path}: failed request {u}" for u in failed]
            problems += [f"{path}: request to {h}" for h in hosts - {"127.0.0.1"}]
            page.close()
    assert not problems, "\n".join(problems)


CHART_PAGES = ("metrics/", "step-size/", "optimizers/", "experiment/", "momentum/")


def test_the_chart_script_is_requested_only_when_a_chart_comes_near(browser, server):
    """On load, with the chart a screen or more away, the 900 KB chart script is not
    requested and the static figure stands; scrolled to, the chart draws."""
    off_screen = 0
    for path in CHART_PAGES:
        page = browser.new_page()
        page.set_viewport_size(dict(zip(("width", "height"), SIZES["phone"])))
        asked = []
        page.on("request", lambda r: asked.append(r.url) if "vega-embed" in r.url else None)
        page.goto(server + path, wait_until="networkidle")
        figure = page.locator("figure", has=page.locator(".rundocs-chart"))
        if figure.evaluate("f => f.getBoundingClientRect().top > 1.5 * innerHeight"):
            off_screen += 1
            page.wait_for_timeout(500)
            assert not asked, f"{path}: the chart script was requested before the chart was near"
            assert figure.locator("svg").count() == 0 and figure.locator("img").is_visible()
        figure.scroll_into_view_if_needed()
        figure.locator(".rundocs-chart-view svg").wait_for(timeout=15_000)
        assert len(asked) == 1, f"{path}: {asked}"
        page.close()
    assert off_screen >= 3  # the test proves something on most chart pages


def test_a_chart_on_a_phone_is_laid_out_for_its_width_with_legible_text(browser, server):
    problems = []
    for path in CHART_PAGES:
        page = visit(browser, server + path, *SIZES["phone"])[0]
        figure = page.locator("figure", has=page.locator(".rundocs-chart"))
        figure.scroll_into_view_if_needed()
        svg = figure.locator(".rundocs-chart-view svg")
        svg.wait_for(timeout=15_000)
        shown = svg.evaluate("""s => {
            const scale = s.getBoundingClientRect().width / s.width.baseVal.value;
            const sizes = [...s.querySelectorAll('text')].filter(t => t.textContent.trim())
                .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
            const view = s.closest('.rundocs-chart-view');
            const controls = view.querySelector('.vega-bindings');
            return {smallest: Math.min(...sizes), scale: scale,
                    overflow: view.scrollWidth - view.clientWidth,
                    right: s.getBoundingClientRect().right - innerWidth,
                    gap: controls ? s.getBoundingClientRect().top
                                    - controls.getBoundingClientRect().bottom : 0};
        }""")
        if not 0 <= shown["gap"] <= 40:  # the controls sit just above the panels they move
            problems.append(f"{path}: the chart's controls are {shown['gap']:.0f} px from it")
        if shown["smallest"] < 11.5:
            problems.append(f"{path}: text {shown['smallest']:.1f} px tall on a phone "
                            f"(drawn at {shown['scale']:.2f} of its size)")
        if shown["overflow"] > 1 or shown["right"] > 1:
            problems.append(f"{path}: the chart is wider than the phone: {shown}")
        page.close()
    assert not problems, "\n".join(problems)


def test_without_javascript_each_interactive_figure_is_its_static_image(browser, server):
    page = browser.new_page()
    page.route("**/*.js", lambda route: route.abort())  # as for a reader with scripts off
    for path in CHART_PAGES:
        page.goto(server + path)
        assert page.locator("figure .rundocs-chart").count() == 1, path
        figure = page.locator("figure", has=page.locator(".rundocs-chart"))
        image = figure.locator("img")
        image.scroll_into_view_if_needed()
        image.evaluate("i => new Promise(done => i.complete ? done() : (i.onload = done))")
        assert image.is_visible() and image.evaluate("i => i.naturalWidth") > 0, path
        assert figure.locator("svg").count() == 0, path
        assert figure.locator("figcaption a[href$='.csv']").count() == 1, path
    page.close()
