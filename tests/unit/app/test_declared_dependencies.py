"""Every library the code imports is installed by ``./run.sh`` (found on a fresh install: the demo
stopped at its first command on ``No module named 'jinja2'``, which a developer's environment,
with the test extras, had hidden).

``run.sh`` installs ``uv.lock``'s packages for Espace's base dependencies only. A module-level
import must come from them (directly or through one of them); an import inside a function may come
from an optional extra (``s3``: boto3, ``test``: time-machine...), which the feature asks for.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from espace.core.settings import PROJECT_ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(packages: dict, names: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = _norm(todo.pop())
        if name not in seen:
            seen.add(name)
            todo += [d["name"] for d in packages.get(name, {}).get("dependencies", [])]
    return seen


def _installed_by_run_sh() -> tuple[set[str], set[str]]:
    """(base closure, base and every extra's closure) of distribution names, from uv.lock."""
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text())
    packages = {_norm(p["name"]): p for p in lock["package"]}
    espace = packages["espace"]
    base = _closure(packages, [d["name"] for d in espace.get("dependencies", [])])
    extras = [d["name"] for deps in espace.get("optional-dependencies", {}).values() for d in deps]
    return base, base | _closure(packages, extras)


def _imports() -> list[tuple[str, str, bool]]:
    """(top-level module, file, imported when the module loads) for every absolute import."""
    found = []
    for path in sorted((PROJECT_ROOT / "espace").rglob("*.py")):
        tree = ast.parse(path.read_text())
        nested = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "espace" and top not in sys.stdlib_module_names:
                    found.append((top, str(path.relative_to(PROJECT_ROOT)), id(node) not in nested))
    return found


def test_every_imported_library_is_a_declared_dependency():
    base, everything = _installed_by_run_sh()
    distributions = packages_distributions()
    missing = []
    for module, path, at_load in _imports():
        names = {_norm(d) for d in distributions.get(module, [module])}
        allowed = base if at_load else everything
        if not names & allowed:
            missing.append(f"{module} ({path}{'' if at_load else ', in a function'})")
    assert not missing, (
        "imported but not installed by run.sh (add it to pyproject.toml's dependencies, then "
        f"`uv lock`): {sorted(set(missing))}"
    )
