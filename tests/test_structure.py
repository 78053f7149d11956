"""The architecture stays easy to see: short functions, a pure geo/, no web code in api/.

Run as a script (`make sizes`) it prints the five largest functions and files.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 80
PY_DIRS = ("geo", "api")
JS_DIR = ROOT / "web" / "static" / "js"


def python_functions() -> list[tuple[int, str]]:
    """(lines, 'file:name') of every Python function in geo/ and api/."""
    out = []
    for folder in PY_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = (node.end_lineno or node.lineno) - node.lineno + 1
                    out.append((lines, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"))
    return out


_JS_START = re.compile(
    r"(?:function\s*\*?\s*[\w$]*\s*\([^)]*\)|=>"  # function declarations/expressions, arrows
    r"|^[ \t]*(?:static\s+|async\s+|get\s+|set\s+)*(?!(?:if|for|while|switch|catch|return)\b)[\w$]+\s*\([^)]*\))"  # methods
    r"\s*\{",
    re.M,
)


def js_functions() -> list[tuple[int, str]]:
    """(lines, 'file:line') of every braced JavaScript function body in web/static/js (brace matching)."""
    out = []
    for path in sorted(JS_DIR.rglob("*.js")) if JS_DIR.exists() else []:
        text = path.read_text(encoding="utf-8")
        for m in _JS_START.finditer(text):
            depth, i = 0, m.end() - 1
            while i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                if depth == 0:
                    break
                i += 1
            first = text.count("\n", 0, m.start()) + 1
            last = text.count("\n", 0, i) + 1
            out.append((last - first + 1, f"{path.relative_to(ROOT)}:{first}"))
    return out


def files() -> list[tuple[int, str]]:
    """(lines, path) of every source file in geo/, api/ and web/static/js."""
    paths = [p for d in PY_DIRS for p in (ROOT / d).rglob("*.py")]
    paths += list(JS_DIR.rglob("*.js")) if JS_DIR.exists() else []
    return [
        (len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(ROOT))) for p in paths
    ]


def test_no_function_is_longer_than_80_lines() -> None:
    long = [f for f in python_functions() + js_functions() if f[0] > MAX_FUNCTION_LINES]
    assert long == [], long


def test_geo_is_pure_and_api_imports_no_web_code() -> None:
    banned = {
        "geo": re.compile(
            r"^\s*(from|import)\s+(api|web|sqlalchemy|geoalchemy2|psycopg|fastapi)\b", re.M
        ),
        "api": re.compile(r"^\s*(from|import)\s+web\b", re.M),
    }
    offenders = [
        str(p.relative_to(ROOT))
        for folder, pattern in banned.items()
        for p in (ROOT / folder).rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def main() -> None:
    """Print the five largest functions and files."""
    for title, rows in (("functions", python_functions() + js_functions()), ("files", files())):
        print(f"largest {title}:")
        for lines, where in sorted(rows, reverse=True)[:5]:
            print(f"  {lines:5d}  {where}")


if __name__ == "__main__":
    sys.exit(main())
