"""Run the example scripts of a docs project and put their real output into its pages.

Each folder is a layer, and a layer imports only from the layers listed before it
(``tests/engine/test_layers.py`` holds it to that):

* :mod:`rundocs.project`, :mod:`rundocs.errors` and :mod:`rundocs.files`: where the project's
  files live (its ``[tool.rundocs]`` settings), the one error every layer raises, and folders
  replaced whole;
* :mod:`rundocs.axes`: what besides its source changes a run's numbers: the machine, the
  numeric back-ends, and the TensorFlow kit (oneDNN, releases, MNIST offline) a project may
  switch on;
* :mod:`rundocs.run`: one script, one run, in a process and a folder of its own;
* :mod:`rundocs.store`: runs kept by content, brought up to date, merged and compared;
* :mod:`rundocs.publish`: the files a run gives the site (figures, charts, long outputs,
  notebook views and downloads);
* :mod:`rundocs.pages`: the Markdown extensions that put runs, checked sentences and formulas
  into pages, under MkDocs and Zensical alike;
* :mod:`rundocs.commands` and ``python -m rundocs``: what a person or CI runs.
"""
