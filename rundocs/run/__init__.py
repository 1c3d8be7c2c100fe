"""One run of one example: its cells and settings (:mod:`.cells`), what it may be called
(:mod:`.names`), the process that executes it in a folder of its own and records what it
printed, drew and computed (:mod:`.child`, with :mod:`.terminal` and :mod:`.lifetime`).

May import: :mod:`rundocs.axes`, :mod:`rundocs.project`, :mod:`rundocs.errors`.
"""
