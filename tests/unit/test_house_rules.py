"""The house's sizes: no module of the product over 300 lines, no function over 80, unless its
docstring states why (the words "long because"). Tests, generated files and the vendored are
outside the rule."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("shared", "services", "bench", "scripts")
MODULE_LINES = 300
FUNCTION_LINES = 80
REASON = "long because"


def product_modules() -> list[Path]:
    return sorted(p for room in ROOMS for p in (ROOT / room).rglob("*.py") if ".venv" not in p.parts)


def test_no_module_is_over_300_lines_without_a_reason() -> None:
    # Given every module of the product
    # When its lines are counted
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in product_modules()
        if (n := len(p.read_text().splitlines())) > MODULE_LINES
        and REASON not in (ast.get_docstring(ast.parse(p.read_text())) or "")
    ]
    # Then none is over the bound without saying why
    assert long == []


def test_no_function_is_over_80_lines_without_a_reason() -> None:
    # Given every function of the product
    long = []
    for p in product_modules():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # When its lines are counted (decorators and docstring included)
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                n = (node.end_lineno or node.lineno) - first + 1
                if n > FUNCTION_LINES and REASON not in (ast.get_docstring(node) or ""):
                    long.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}: {n}")
    # Then none is over the bound without saying why
    assert long == []
