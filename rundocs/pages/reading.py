"""How long a page takes to read: the words a reader sees, at 150 a minute, plus half a minute
per figure.

"Sees" means what the page shows before anything is opened: the text of its article, code and
outputs included, but not a folded block (a closed ``<details>``: a long listing, the run
behind a section, an answer), nor hidden elements, scripts, styles or heading anchors. Home
quotes these times (``{{ minutes: PAGE.md }}``) from the page as the build renders it, and the
tests hold the first pages of the path to them on the built site.
"""

import hashlib
import re
from functools import cache
from html.parser import HTMLParser

import markdown
import yaml

from rundocs.project import CONFIG, PAGES

WORDS_PER_MINUTE, MINUTES_PER_FIGURE = 150, 0.5
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Visible(HTMLParser):
    """The words and figures of an HTML page that show without opening anything."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words = self.figures = 0
        self.stack: list = []  # per open element: (tag, False (seen), True (unseen) or "closed")
        self.article = None  # None until an <article> is seen: then only inside it counts

    def unseen(self) -> bool:
        return bool(self.stack) and bool(self.stack[-1][1])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.article = True
        hidden = (self.unseen() or tag in ("script", "style", "template") or "hidden" in attrs
                  or "headerlink" in (attrs.get("class") or "").split())
        if tag == "summary" and self.stack and self.stack[-1][1] == "closed":
            hidden = False  # a folded block still shows its one line
        if tag == "img" and not hidden and self.article is not False:
            self.figures += 1
        if tag in VOID:
            return
        self.stack.append((tag, "closed" if tag == "details" and "open" not in attrs
                              and not hidden else hidden))

    def handle_endtag(self, tag):
        if tag == "article":
            self.article = False
        if tag in VOID or tag not in (t for t, _ in self.stack):
            return
        while self.stack.pop()[0] != tag:  # close what was left open inside it
            pass

    def handle_data(self, data):
        if self.article is not False and not self.unseen():
            self.words += len(re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", data))


def minutes(html: str) -> float:
    """Reading time of ``html``, in minutes (an ``<article>`` in it bounds what counts)."""
    seen = Visible()
    if "<article" in html:
        seen.article = False  # a built page: its navigation and footer do not count
    seen.feed(html)
    return seen.words / WORDS_PER_MINUTE + MINUTES_PER_FIGURE * seen.figures


def rendered(page: str) -> str:
    """Page ``page`` of ``docs/`` as this project's Markdown settings render it."""
    text = (PAGES / page).read_text(encoding="utf-8")
    return _rendered(page, hashlib.sha256(text.encode()).hexdigest(), text)


MEASURING: set[str] = set()  # pages being rendered to be measured (a page may quote itself)


@cache
def _rendered(page: str, digest: str, text: str) -> str:
    settings = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in settings["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = config or {}
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)  # front matter
    MEASURING.add(page)
    try:
        return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)
    finally:
        MEASURING.discard(page)
