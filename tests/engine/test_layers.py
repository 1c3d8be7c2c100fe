"""The engine's folders are its layers: imports only go down, and no piece is too long to read.

The package docstring of :mod:`rundocs` lists the layers in this order; each layer's own
docstring says what it may import.
"""

import ast
import re
from pathlib import Path

import pytest

import rundocs

ENGINE = Path(rundocs.__file__).parent
# Bottom to top; a module may import from its own layer and the layers before it.
LAYERS = ["project", "errors", "files", "axes", "run", "store", "publish", "pages", "commands", "__main__"]
RANKS = {"project": 0, "errors": 0, "files": 0, "axes": 1, "run": 2, "store": 3, "publish": 4, "pages": 5,
         "commands": 6, "__main__": 6}
LONGEST = 100  # lines a function or class may take
MODULES = sorted(p for p in ENGINE.rglob("*.py") if p.name != "__init__.py" or p.parent != ENGINE)


def layer(path: Path) -> str:
    """The layer of a module of the engine, by its first part under rundocs/."""
    return path.relative_to(ENGINE).parts[0].removesuffix(".py")


def imported(source: str, package: str) -> list[tuple[int, str]]:
    """(line, layer) of every module of the engine that ``source``, a module of ``package``
    (``rundocs.store``, say), imports, absolutely or relatively."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package up
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *filter(None, [node.module])])
            names = [f"{base}.{a.name}" for a in node.names] if base == "rundocs" else [base]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name.split(".")[1]) for name in names
                  if name.startswith("rundocs.")]
    return found


def package_of(path: Path) -> str:
    return ".".join(("rundocs", *path.relative_to(ENGINE).parent.parts))


def test_every_module_lies_in_a_layer():
    assert {layer(path) for path in MODULES} <= set(LAYERS)
    for folder in (p for p in ENGINE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        assert (folder / "__init__.py").is_file(), folder
        assert "May import" in (folder / "__init__.py").read_text(), folder


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_imports_only_go_down(path):
    here = layer(path)
    upward = [f"line {line}: {there}" for line, there in imported(path.read_text(),
                                                                   package_of(path))
              if RANKS[there] > RANKS[here]]
    assert not upward, f"{path.relative_to(ENGINE)} ({here}) imports from a layer above it"


@pytest.mark.parametrize("source", ["from rundocs.store import cache",
                                    "from rundocs.store.cache import key",
                                    "import rundocs.store.cache",
                                    "from ...store import cache",
                                    "from rundocs import store"])
def test_an_import_that_runs_up_is_seen_in_every_form(source):
    assert [there for _, there in imported(source, "rundocs.axes.tensorflow")] == ["store"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_no_function_or_class_is_too_long_to_read(path):
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.end_lineno - node.lineno + 1 > LONGEST]
    assert not long, f"{path.relative_to(ENGINE)}: split {', '.join(long)}"


def test_the_engine_names_none_of_this_site_s_pages_or_examples():
    """Only the project's settings name them: the code works for any docs project."""
    site = {p.name for p in (ENGINE.parent / "docs").glob("*.md")}
    site |= {p.stem for p in (ENGINE.parent / "examples").glob("*.py")}
    for path in MODULES:
        tree = ast.parse(path.read_text())
        documented = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        texts = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                 and isinstance(node.value, str) and id(node) not in documented]
        named = {name for name in site for text in texts
                 if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text)}
        assert not named, f"{path.relative_to(ENGINE)} names {sorted(named)}"
