"""What besides its source changes a run's numbers, each a key of the run.

:mod:`.backends` says which machine and numeric settings a run had, and names the back-ends
(sets of environment settings) an example can be shown under. :mod:`.tensorflow` is the
TensorFlow kit a project's settings switch on: oneDNN's back-ends, other TensorFlow releases,
MNIST served offline.

May import: :mod:`rundocs.project`, :mod:`rundocs.errors`.
"""
