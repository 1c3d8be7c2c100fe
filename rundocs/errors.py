"""The one exception type the engine raises: its message says what broke and what to do."""


class RunError(Exception):
    """An example failed, or a page refers to something no run produced."""
