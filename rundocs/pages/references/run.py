"""``{{ run: NAME }}``: where a run came from, folded behind one short line, so the lesson
stays in front and the proof is one click away."""

from rundocs.pages.references import Page, what_the_run_line_says
from rundocs.pages.text import escaped
from rundocs.project import LESSONS, LINKED
from rundocs.publish.notebook import footer, links_markdown


def proof(page: Page, name: str) -> list[str]:
    """The versions, machine, kernels, seed, cost, hash and downloads of ``name``'s run."""
    run = page.run_of(name.partition(":")[0])
    example, seed = run.example, run.data["provenance"].get("seed")
    title = f"The run behind this: {LESSONS}/{example}.py" + (f", seed {seed}" if seed is not None
                                                             else "")
    return [
        f'??? rundocs-run "{escaped(title)}"',
        "",
        f"    {footer(run)} · [notebook view]({LINKED}/{example}.md)"
        f"{what_the_run_line_says()}",
        "    { .rundocs-provenance }",
        "",
        f"    {links_markdown(example, here=LINKED + '/')}",
        "    { .rundocs-links }",
    ]
