"""What a person or CI runs, through ``python -m rundocs`` or ``make``: building the site
(:mod:`.build`), serving it (:mod:`.serve`), the numeric matrix (:mod:`.matrix`),
reproducibility (:mod:`.reproducible`), benchmarks (:mod:`.bench`, :mod:`.audit`) and the one
line a machine fault gets (:mod:`.faults`).

May import: every other layer.
"""
