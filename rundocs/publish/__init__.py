"""The files a run gives the site, beside the pages: figures (:mod:`.figures`), charts
(:mod:`.charts`), long outputs whole (:mod:`.outputs`), notebook views and downloads
(:mod:`.notebook`), all brought up to date after runs (:mod:`.update`).

May import: :mod:`rundocs.store` and the layers below it.
"""
