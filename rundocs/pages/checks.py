"""Checks written beside the sentences they guard: ``{{ check: EXPR }}``.

A page that says "the schedule ended lower" puts, on the line after that paragraph,
``{{ check: optimizers_sin.end_loss.staircase < optimizers_sin.end_loss.constant }}``.
Every build evaluates it against the run the page shows and refuses to build if it is false,
naming the page line, the sentence and the measured values. The check renders as nothing.

EXPR is a small, safe subset of Python: run values (``NAME.key[index]``, or
``NAME@BACKEND.key`` for an example's run under another back-end), numbers and strings,
comparisons, ``and``/``or``/``not``, ``+ - * /`` and the functions in ``FUNCTIONS``. It is
bounded: no string or list over ``MAX_ITEMS`` items, no nesting deeper than ``MAX_DEPTH``, no
check longer than ``MAX_LENGTH``; ``@`` inside a string literal is text, not a back-end.

A run value may be NaN or infinite (a diverged loss). Comparisons follow IEEE 754, as Python's
floats do: every comparison with NaN is false, except ``!=``, which is true. So a check that
a loss is finite says so, with :mod:`math`'s ``isfinite(x)`` (neither NaN nor infinite);
``isnan(x)`` and ``isinf(x)`` (either sign) are there too. A failing check shows a NaN it read
as ``nan``, with a note saying so.
"""

import ast
import math
import re
from collections.abc import Callable

from rundocs.errors import RunError

MAX_ITEMS = 1_000_000  # the longest string or list a check may build
MAX_DEPTH = 40  # the deepest expression a check may nest
MAX_LENGTH = 2_000  # characters of a check


def _sum(items, start=0):
    """``sum`` over numbers only: summing lists or strings is quadratic, and not a check's job."""
    if not isinstance(start, int | float):
        raise TypeError("sum() adds numbers only")
    return sum(items, start)


def _times(a, b):
    """``a * b``, refusing a string or list that would grow past ``MAX_ITEMS``."""
    for sequence, count in ((a, b), (b, a)):
        if (isinstance(sequence, str | list | tuple) and isinstance(count, int)
                and len(sequence) * max(count, 0) > MAX_ITEMS):
            raise ValueError(f"it would build a sequence of {len(sequence) * count:,} items "
                             f"(at most {MAX_ITEMS:,})")
    return a * b


FUNCTIONS = {f.__name__: f for f in (abs, min, max, len, all, any, round, sorted,
                                      math.isnan, math.isfinite, math.isinf)}
FUNCTIONS["sum"] = _sum
VARIANT = re.compile(r"\b([A-Za-z_]\w*)@([A-Za-z][\w-]*)")
STRING = re.compile(r"'(?:\\.|[^'\\])*'" + r'|"(?:\\.|[^"\\])*"')  # a literal: left alone
OPERATORS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
    ast.Mult: _times, ast.Div: lambda a, b: a / b,
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


def _constant(node):
    """The value of a constant index such as ``0``, ``-1`` or ``"a key"``, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | str):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, int)):
        return -node.operand.value
    return None


class Evaluator:
    """Evaluates one check, remembering every run value it read (to show when it fails)."""

    def __init__(self, value_of: Callable[[str, str], object], variants: dict[str, str]):
        self.value_of, self.variants, self.read = value_of, variants, {}

    def reference(self, node) -> str | None:
        """``NAME.path[0]`` for a Name/Attribute/Subscript chain rooted at a run name."""
        if isinstance(node, ast.Name):
            return self.variants.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            root = self.reference(node.value)
            return root and f"{root}.{node.attr}"
        if isinstance(node, ast.Subscript):
            index = _constant(node.slice)
            root = index is not None and self.reference(node.value)
            return root and (f"{root}[{index}]" if isinstance(index, int) else f"{root}.{index}")
        return None

    def __call__(self, node):
        value = self.evaluate(node)
        if isinstance(value, str | list | tuple) and len(value) > MAX_ITEMS:
            raise ValueError(f"it builds a value of {len(value):,} items (at most {MAX_ITEMS:,})")
        return value

    def evaluate(self, node):
        if isinstance(node, ast.Expression):
            return self(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List | ast.Tuple):
            return [self(e) for e in node.elts]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
            value = self(node.operand)
            return not value if isinstance(node.op, ast.Not) else -value
        if isinstance(node, ast.BoolOp):
            values = (self(v) for v in node.values)
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](self(node.left), self(node.right))
        if isinstance(node, ast.Compare) and all(type(o) in OPERATORS for o in node.ops):
            left = self(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self(right_node)
                if not OPERATORS[type(op)](left, right):
                    return False
                left = right
            return True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in FUNCTIONS and not node.keywords):
            return FUNCTIONS[node.func.id](*(self(a) for a in node.args))
        reference = self.reference(node)
        if reference and "." in reference:
            name, _, path = reference.partition(".")
            value = self.value_of(name, path)
            self.read[reference] = value
            return value
        raise RunError(f"a check may not use `{ast.unparse(node)}` (see rundocs/pages/checks.py)")


def evaluate(expression: str, value_of: Callable[[str, str], object]) -> tuple[bool, dict]:
    """(whether ``expression`` holds, the run values it read); RunError if it cannot be read."""
    variants = {}

    def plain(match):
        name = f"{match[1]}__{match[2].replace('-', '_')}"
        variants[name] = f"{match[1]}@{match[2]}"
        return name

    def outside_strings(match):
        return match[0] if match["string"] else VARIANT.sub(plain, match[0])

    if len(expression) > MAX_LENGTH:
        raise RunError(f"the check `{expression[:80]}…` is too long ({len(expression):,} "
                       f"characters, at most {MAX_LENGTH:,}): split it into several checks")
    pieces = re.compile(f"(?P<string>{STRING.pattern})|[^'\"]+|['\"]")
    try:
        tree = ast.parse(pieces.sub(outside_strings, expression.strip()), mode="eval")
    except SyntaxError as error:
        raise RunError(f"the check `{expression}` is not a valid expression: {error.msg}") from None
    except ValueError as error:  # a null character, say
        raise RunError(f"the check `{expression!r}` is not a valid expression: {error}") from None
    except (RecursionError, MemoryError):
        raise RunError(f"the check `{expression}` is too deeply nested to read") from None
    if depth(tree) > MAX_DEPTH:
        raise RunError(f"the check `{expression}` nests deeper than {MAX_DEPTH} levels: "
                       "split it into several checks")
    evaluator = Evaluator(value_of, variants)
    try:
        holds = bool(evaluator(tree))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError,
            RecursionError) as error:
        raise RunError(f"the check `{expression}` cannot be evaluated: "
                       f"{error or type(error).__name__}") from None
    return holds, evaluator.read


def depth(tree: ast.AST) -> int:
    """How deep ``tree`` nests, counted without recursion."""
    deepest, todo = 0, [(tree, 1)]
    while todo:
        node, level = todo.pop()
        deepest = max(deepest, level)
        todo += [(child, level + 1) for child in ast.iter_child_nodes(node)]
    return deepest


NAN_NOTE = " (not a number: every comparison with it is false; isnan() tests for it)"


def shown(read: dict) -> str:
    """``a = 2, b = 0.0003``: the values a check read, short enough for one line each; a NaN
    says why the check may have failed on it."""
    return "\n".join(f"    {name} = {str(value)[:120]}"
                     + (NAN_NOTE if isinstance(value, float) and math.isnan(value) else "")
                     for name, value in read.items())
