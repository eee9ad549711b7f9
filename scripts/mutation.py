"""Mutation testing of the security services (issue 16): which changes to the code no test notices?

Two kinds of mutants, over the modules of ``MODULES`` (auth, second factor, sessions, step-up,
failed checks, profile changes, password change, erasure, mandates, bank accounts, upload limits):

- mutmut's (operators, constants, conditions, arguments... inside functions), run module by module
  with the tests mutmut saw calling each mutated function (``[tool.mutmut]`` in pyproject.toml lists
  the modules and the tests it watches);
- "guard" mutants, which mutmut does not make: each call to a security check is removed (the
  step-up or authority check of a sensitive function, the counting of a wrong code or password, the
  lockout test), and the record of a failed check is written in the caller's transaction instead of
  on its own (``commit_apart``). Each runs the module's tests in a copy of the repository.

Usage (from the repository root, after ./test.sh installed the test dependencies):
    scripts/mutation.sh                       # every module, both kinds
    scripts/mutation.sh identity/stepup       # one module (several may be given)
    scripts/mutation.sh --guards identity/auth   # only the guard mutants (fast)
    scripts/mutation.sh --mutmut billing/mandates
    scripts/mutation.sh --mutmut billing/mandates:sign_mandate 'identity/auth:record_*'
    scripts/mutation.sh --list

Results: a summary per module on stdout and in ``mutants/report.md`` (survivors with their diff);
``mutmut results`` / ``mutmut show <name>`` after a run. It runs at low priority (nice) with one
test process: ~1 mutant per second on a quiet 2-core machine, once mutmut has collected which test
calls which function (a few minutes, cached in mutants/ until ``--fresh``).
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MUTANTS = ROOT / "mutants"
REPORT = MUTANTS / "report.md"

# The tests most likely to notice a change come first: each mutant runs with -x (stops at the
# first failure), so a killed one is known in seconds.
_STEPUP = "tests/integration/identity/test_stepup_enforcement.py"
_FAILURES = "tests/integration/identity/test_failure_counting.py"
_FINDINGS = "tests/integration/identity/test_security_findings.py"
_IDENTITY = [_STEPUP, _FAILURES, _FINDINGS, "tests/unit/identity", "tests/integration/identity"]
_BANK = [
    _STEPUP,
    _FINDINGS,
    "tests/unit/billing/test_bank_accounts.py",
    "tests/integration/billing/test_bank_edges.py",
    "tests/integration/billing/test_mandates.py",
    "tests/integration/billing/test_payment_handlers.py",
    "tests/integration/billing/test_payments.py",
]
# module -> the tests the guard mutants run (mutmut picks, per function, among [tool.mutmut]'s).
MODULES: dict[str, list[str]] = {
    "identity/stepup": _IDENTITY + ["tests/integration/billing/test_payment_handlers.py"],
    "identity/failures": _IDENTITY,
    "identity/auth": _IDENTITY + ["tests/integration/api/test_api_routes.py"],
    "identity/signin": _IDENTITY + ["tests/integration/api/test_api_routes.py"],
    "identity/sessions": _IDENTITY + ["tests/integration/api", "tests/integration/state"],
    "identity/devices": _IDENTITY,
    "identity/second_factor": _IDENTITY,
    "identity/one_time_codes": _IDENTITY,
    "identity/accounts": _IDENTITY + ["tests/integration/privacy"],
    "identity/signup": _IDENTITY,
    "identity/account_recovery": _IDENTITY + ["tests/integration/privacy"],
    "identity/profile": _IDENTITY,
    "identity/profile_validation": _IDENTITY,
    "identity/profile_confirmation": _IDENTITY,
    "privacy/rights": [_STEPUP, "tests/integration/privacy"],
    "billing/mandates": _BANK,
    "billing/bank_accounts": _BANK,
    "billing/bank_details": _BANK,
    "claims/uploads": [
        "tests/unit/claims/test_uploads.py",
        "tests/integration/api/test_upload_gate.py",
        "tests/integration/claims/test_claims.py",
    ],
}

# ---- guard mutants -------------------------------------------------------------------------------

CHECKS = {"require_step_up", "require_authority", "_checked"}  # raise unless the proof is valid
COUNTERS = {"record_failure"}  # count a wrong secret; True when it locks the account
LOCKS = {"is_locked"}


@dataclass(frozen=True)
class Guard:
    module: str
    line: int
    function: str
    description: str
    source: str  # the whole mutated module

    @property
    def name(self) -> str:
        return f"{self.module}:{self.line} {self.description}"


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _offset(lines: list[str], line: int, col: int) -> int:
    """Character offset of (1-based line, utf-8 byte column) in the text."""
    before = sum(len(text) for text in lines[: line - 1])
    return before + len(lines[line - 1].encode()[:col].decode())


def guard_mutants(module: str) -> list[Guard]:
    path = ROOT / "espace" / f"{module}.py"
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    mutants = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in CHECKS:
            replacement, what = '"check skipped"', f"{name}(...) removed"
        elif name in COUNTERS:
            replacement, what = "False", f"{name}(...) removed (the failure is not counted)"
        elif name in LOCKS:
            replacement, what = "False", f"{name}(...) -> False (the lockout is ignored)"
        elif name == "commit_apart" and len(node.args) == 2:
            session, work = (ast.get_source_segment(text, arg) for arg in node.args)
            replacement = f"{work}({session})"
            what = "commit_apart(s, work) -> work(s) (the record rolls back with the caller)"
        else:
            continue
        function = node
        while function in parents and not isinstance(
            function, ast.FunctionDef | ast.AsyncFunctionDef
        ):
            function = parents[function]
        start = _offset(lines, node.lineno, node.col_offset)
        end = _offset(lines, node.end_lineno, node.end_col_offset)
        mutated = text[:start] + replacement + text[end:]
        ast.parse(mutated)  # still valid Python
        mutants.append(
            Guard(
                module=module,
                line=node.lineno,
                function=getattr(function, "name", "<module>"),
                description=what,
                source=mutated,
            )
        )
    return mutants


def _copy_tree(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("espace", "tests", "alembic", "assets", "content"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in ("alembic.ini", "pyproject.toml", "rxconfig.py"):
        shutil.copy2(ROOT / name, target / name)


def _pytest(cwd: Path, tests: list[str]) -> tuple[int, str]:
    command = [PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    done = subprocess.run(
        command + tests, cwd=cwd, capture_output=True, text=True, env=_test_env(), check=False
    )
    return done.returncode, done.stdout[-3000:] + done.stderr[-2000:]


def _test_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


_GREEN: set[tuple[str, ...]] = set()


def _judge(copy: Path, tests: list[str], module: str) -> tuple[int, str]:
    """pytest's exit code and output for ``tests``, once they are known to pass on the real code."""
    if tuple(tests) not in _GREEN:  # the tests must pass before any mutant is judged by them
        target = copy / "espace" / f"{module}.py"
        mutated = target.read_text()
        target.write_text((ROOT / "espace" / f"{module}.py").read_text())
        code, output = _pytest(copy, tests)
        target.write_text(mutated)
        if code != 0:
            raise SystemExit(f"The tests of {module} fail without any mutant:\n{output}")
        _GREEN.add(tuple(tests))
    return _pytest(copy, tests)


def _first_tests(tests: list[str]) -> list[str]:
    """The leading test files of the list (at most 3): most mutants die there, and quickly."""
    first = []
    for test in tests[:3]:
        if not test.endswith(".py"):
            break
        first.append(test)
    return first or tests


def run_guards(module: str) -> tuple[list[str], list[Guard]]:
    """Run every guard mutant of the module; returns (lines for the report, survivors)."""
    mutants = guard_mutants(module)
    if not mutants:
        return [f"- guards: none in `{module}`"], []
    copy = MUTANTS / "guards"
    target = copy / "espace" / f"{module}.py"
    original = (ROOT / "espace" / f"{module}.py").read_text()
    tests = MODULES[module]
    report, survivors = [], []
    try:
        for mutant in mutants:
            target.write_text(mutant.source)
            started = time.monotonic()
            code, output = _judge(copy, _first_tests(tests), module)
            if code == 0 and _first_tests(tests) != tests:
                code, output = _judge(copy, tests, module)
            elapsed = time.monotonic() - started
            if code == 1:
                failed = re.findall(r"^FAILED (\S+)", output, re.M)
                verdict = f"killed by {failed[0] if failed else 'a test'}"
            elif code == 0:
                verdict = "SURVIVED"
                survivors.append(mutant)
            else:
                verdict = f"killed (pytest exit {code}: error)"
            line = f"- guard `{mutant.name}` in `{mutant.function}`: {verdict} ({elapsed:.0f} s)"
            print(line, flush=True)
            report.append(line)
    finally:
        target.write_text(original)
    return report, survivors


# ---- mutmut --------------------------------------------------------------------------------------


def _mutmut(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    command = [str(Path(PYTHON).with_name("mutmut")), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=capture, text=True, check=False)


def seed_once() -> None:
    """The demo database seeded once for every mutant's test run (each seeding costs ~15 s of
    argon2id hashes and PDFs: more than most mutants' tests)."""
    seeded = MUTANTS / "seeded.db"
    seeded.unlink(missing_ok=True)
    shutil.rmtree(f"{seeded}.data", ignore_errors=True)
    env = {
        **os.environ,
        "ESPACE_ENV": "test",
        "ESPACE_DATA_DIR": f"{seeded}.data",
        "ESPACE_DATABASE_URL": f"sqlite:///{seeded}",
    }
    for command in ("migrate", "seed"):  # the admin commands a deployment runs
        subprocess.run(
            [PYTHON, "-m", "espace.cli", command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ["ESPACE_TEST_SEEDED_DB"] = str(seeded)


def run_mutmut(module: str, children: int, function: str = "") -> tuple[list[str], list[str]]:
    """Run mutmut's mutants of one module (or of one of its functions: a name or a glob); returns
    (lines for the report, surviving names)."""
    prefix = "espace." + module.replace("/", ".") + "."
    if function:
        prefix += f"x_{function}"
    _mutmut("run", "--max-children", str(children), prefix + "*")
    results = _mutmut("results", "--all", "true", capture=True).stdout
    counts: dict[str, int] = {}
    survivors = []
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not fnmatch.fnmatch(name, prefix + "*"):
            continue
        counts[status] = counts.get(status, 0) + 1
        if status in ("survived", "no tests", "timeout", "suspicious"):
            survivors.append(name)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    report = [f"- mutmut: {summary or 'no mutants'}"]
    for name in survivors:
        diff = _mutmut("show", name, capture=True).stdout.strip()
        report.append(f"  - `{name}`\n\n```diff\n{diff}\n```\n")
    return report, survivors


# ---- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules",
        nargs="*",
        help="e.g. identity/stepup, or identity/stepup:require_step_up (mutmut: one function)",
    )
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--guards", action="store_true", help="only the guard mutants")
    kind.add_argument("--mutmut", action="store_true", help="only mutmut's mutants")
    parser.add_argument("--fresh", action="store_true", help="forget mutmut's cached results")
    parser.add_argument("--children", type=int, default=1, help="parallel mutmut workers")
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    options = parser.parse_args()
    if options.list:
        for module, tests in MODULES.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    unknown = [m for m in options.modules if m.partition(":")[0] not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {unknown}: see --list")
    modules = options.modules or list(MODULES)
    if options.fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    MUTANTS.mkdir(exist_ok=True)
    if not options.mutmut:
        _copy_tree(MUTANTS / "guards")  # the current code and tests
    if not options.guards:
        seed_once()
    sections, survived = [], 0
    for target in modules:
        module, _, function = target.partition(":")
        print(f"== {target}", flush=True)
        lines = [f"## {target}", ""]
        if not options.mutmut and not function:
            report, survivors = run_guards(module)
            lines += report
            survived += len(survivors)
        if not options.guards:
            report, names = run_mutmut(module, options.children, function)
            lines += report
            survived += len(names)
            print("\n".join(report[:1]), flush=True)
        sections.append("\n".join(lines))
    REPORT.write_text("# Mutation run\n\n" + "\n\n".join(sections) + "\n")
    print(f"\n{survived} surviving mutant(s); details in {REPORT.relative_to(ROOT)}")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
