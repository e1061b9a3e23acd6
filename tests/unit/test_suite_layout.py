"""The suite's own layout: shared steps and data live in helper modules, not in test modules."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """Return (line, module, names) for every ``tests.`` import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests"):
            found.append((node.lineno, node.module or "", [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("tests")]
    return found


def test_no_module_imports_a_test_module() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{line} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module, names in _imports(path)
        if module.rsplit(".", 1)[-1].startswith("test_")
        or any(name.startswith("test_") for name in names)
    ]
    assert offenders == [], "move what they share to a helper module:\n" + "\n".join(offenders)


def test_no_module_imports_a_private_helper_of_another() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{line} imports {name} from {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module, names in _imports(path)
        for name in names
        if name.startswith("_")
    ]
    assert offenders == [], "give shared helpers public names:\n" + "\n".join(offenders)
