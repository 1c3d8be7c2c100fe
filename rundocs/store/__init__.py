"""Runs kept by content: each keyed by what can change it and stored atomically
(:mod:`.cache`), read back (:mod:`.results`), brought up to date by running what is stale
(:mod:`.runner`), joined from several machines (:mod:`.merge`), compared (:mod:`.compare`),
and what the version check found (:mod:`.checked`).

May import: :mod:`rundocs.run` and the layers below it.
"""
