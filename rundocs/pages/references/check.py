"""``{{ check: EXPR }}``: nothing on the page when EXPR holds on the runs; otherwise the build
fails, quoting the sentence the check guards (:mod:`rundocs.pages.checks` evaluates EXPR)."""

from rundocs.errors import RunError
from rundocs.pages import checks
from rundocs.pages.references import Page


def check(page: Page, expression: str, before: list[str]) -> list[str]:
    """Fail unless ``expression`` holds on the runs, quoting the paragraph it guards."""
    holds, read = checks.evaluate(expression, lambda n, p: page.run_of(n).value(p))
    if holds:
        return [""]
    sentence = guarded(before)
    raise RunError(
        f"the run contradicts the paragraph this check guards:\n    \"{sentence}\"\n"
        f"  check: {expression}\n  measured:\n{checks.shown(read)}\n"
        "  Rewrite the paragraph to say what the run shows (or what holds on every "
        "back-end), then its check."
    )


def guarded(before: list[str], limit: int = 240) -> str:
    """The last paragraph of ``before`` (what a check written under it guards), on one line."""
    paragraph = []
    for line in reversed(before):
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.insert(0, line.strip())
    text = " ".join(paragraph) or "(nothing: a check must follow the paragraph it guards)"
    return text if len(text) <= limit else text[:limit - 1] + "…"
