"""The Markdown extensions that put runs into pages, under any builder that runs
Python-Markdown extensions (MkDocs, Zensical): references to runs (:mod:`.markdown`, one
renderer per kind in :mod:`.references`, written through :mod:`.text`), the checks that guard
sentences (:mod:`.checks`), formulas (:mod:`.formulas`), reading times (:mod:`.reading`),
light code listings (:mod:`.highlight`, :mod:`.listings`).

May import: :mod:`rundocs.publish` and the layers below it.
"""
