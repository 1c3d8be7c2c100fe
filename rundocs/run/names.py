"""What an example may be called: a name pages, checks and imports can use, that hides no module.

Every example runs with its own folder first on its import path, as ``python NAME.py`` does,
so an ``examples/numpy.py`` would stand in for NumPy in any lesson beside it that imports
``numpy``, and ``zz-hyphen.py`` could be run and published but never quoted by a check.
"""

import importlib.util
import keyword
import sys
from pathlib import Path

from rundocs.project import LESSONS


def shadows(name: str) -> bool:
    """Whether a module named ``name`` exists outside the examples (the standard library, an
    installed package, the engine): an example of that name would hide it from the others."""
    if name in sys.stdlib_module_names:
        return True
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    return spec is not None and spec.origin not in (None, "namespace")


def misnamed(script: Path) -> str | None:
    """What is wrong with the name of the example ``script``, if anything."""
    name = script.stem
    if not name.isidentifier() or keyword.iskeyword(name):
        return (f"{LESSONS}/{script.name}: an example's name must be a Python identifier "
                "(letters, digits and _, not a keyword), so that pages and checks can name it "
                f"and lessons import it: rename it, say to {name.replace('-', '_')}_example.py")
    if shadows(name):
        return (f"{LESSONS}/{script.name} is named like the module `{name}`, which it would hide "
                f"from every example and helper that imports `{name}`: rename it, say to "
                f"{name}_example.py")
    return None
