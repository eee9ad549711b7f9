"""Every ``module.name`` the code, the benches, the scripts and the tests read from an Espace module
exists, and so does every name they import with ``from espace.x import name`` (at the top of a
file or inside a function): a function moved to another module (or renamed) fails here, not in a
bench nobody ran or in a route's body at its first request."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = ("espace", "bench", "scripts", "tests")


def _module_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> module, for the Espace modules a file imports (``from espace.x import y`` where
    y is a module, ``import espace.x as y``)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("espace"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if _is_module(full):
                    names[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("espace") and alias.asname:
                    names[alias.asname] = alias.name
    return names


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def missing_attributes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _module_names(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in names
            and isinstance(node.ctx, ast.Load)
        ):
            module = importlib.import_module(names[node.value.id])
            if not hasattr(module, node.attr):
                found.append(f"{path}:{node.lineno} {names[node.value.id]}.{node.attr}")
    return found


def missing_imports(path: Path) -> list[str]:
    """``from espace.x import name`` where espace.x has no ``name`` (nor a submodule of it)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.ImportFrom) and node.level == 0):
            continue
        if not (node.module or "").startswith("espace"):
            continue
        module = importlib.import_module(node.module)
        for alias in node.names:
            if not hasattr(module, alias.name) and not _is_module(f"{node.module}.{alias.name}"):
                found.append(f"{path}:{node.lineno} {node.module}.{alias.name}")
    return found


def test_every_name_read_from_an_espace_module_exists():
    files = [p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py"))]
    assert len(files) > 300
    missing = [line for path in files for line in missing_attributes(path)]
    assert missing == []


def test_every_name_imported_from_an_espace_module_exists():
    files = [p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py"))]
    missing = [line for path in files for line in missing_imports(path)]
    assert missing == []


def test_the_check_sees_a_moved_function(tmp_path):
    stale = tmp_path / "stale.py"
    stale.write_text(
        "from espace.core import formatting as fmt\n"
        "from espace.search import sources\n"
        "fmt.month_fr\nsources.MONTHS\n",
        encoding="utf-8",
    )
    assert [line.split(" ")[1] for line in missing_attributes(stale)] == [
        "espace.search.sources.MONTHS"
    ]


def test_the_check_sees_an_import_of_a_moved_function(tmp_path):
    stale = tmp_path / "stale.py"
    stale.write_text(
        "def later():\n"
        "    from espace.core.formatting import month_fr\n"
        "    from espace.demo.seed import seed_volume\n",
        encoding="utf-8",
    )
    assert [line.split(" ")[1] for line in missing_imports(stale)] == [
        "espace.demo.seed.seed_volume"
    ]
