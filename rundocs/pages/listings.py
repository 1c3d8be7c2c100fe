"""Code listings a keyboard can scroll, kept out of the search index."""

import html
import re

from markdown.postprocessors import Postprocessor

PHONE_COLUMNS = 40  # characters of code a 320 px screen shows on a line, at 12 px


class KeyboardListings(Postprocessor):
    """Make a code block that may scroll sideways focusable, so the keyboard can scroll it,
    and leave every code block out of the search index.

    The theme makes a block focusable itself when it mounts it, but mounts each only as it
    comes into view (``content.lazy``, which keeps long pages fast), so Tab would skip the
    blocks below. A block whose longest line fits a phone never scrolls and stays out of the
    Tab order. Out of the index (``data-search-exclude``, which Material and Zensical read), a
    search for "learning rate" lands on the lesson that explains it, not on a listing that
    happens to say it often.
    """

    CODE = re.compile(r"<pre([^>]*>(?:<span></span>)?<code)(>(.*?)</code>)", re.S)

    def run(self, text: str) -> str:
        def listing(match):
            lines = html.unescape(re.sub(r"<[^>]+>", "", match[3])).splitlines() or [""]
            wide = ' tabindex="0"' if max(map(len, lines)) > PHONE_COLUMNS else ""
            return f"<pre data-search-exclude{match[1]}{wide}{match[2]}"

        return self.CODE.sub(listing, text)
