"""The one exception type the engine raises: its message says what broke and what to do.

It is MkDocs' ``BuildError``, which MkDocs reports as one clear message instead of a traceback
of the engine's internals (other builders see an ordinary exception with the same message).
"""

from mkdocs.exceptions import BuildError


class RunError(BuildError):
    """An example failed, or a page refers to something no run produced or contradicts its run."""
