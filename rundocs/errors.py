"""The one exception type the engine raises: its message says what broke and what to do.

It is MkDocs' ``BuildError``, which MkDocs reports as one clear message instead of a traceback
of the engine's internals (other builders see an ordinary exception with the same message).
An example's own process may run in an environment without MkDocs (another TensorFlow
release's, for ``make check-versions``); there it is a plain ``Exception``.
"""

try:
    from mkdocs.exceptions import BuildError
except ImportError:  # an example's environment of another TensorFlow release
    BuildError = Exception


class RunError(BuildError):
    """An example failed, or a page refers to something no run produced or contradicts its run."""
