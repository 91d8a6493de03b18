"""Imports flow one way: the import-linter contracts in .importlinter, and the top-level kernel modules."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("accounts", "citizen", "disclosure", "jobs", "notify", "points", "privacy", "backup")
KERNEL = ("extensions", "errors", "clock", "config", "jsonapi", "apidoc", "shell", "webguard", "images", "storage",
          "transactions", "counters", "workdays", "webforms", "pagecache", "s3store")
LINTER = Path(sys.executable).with_name("lint-imports")


def test_every_import_contract_is_kept():
    """`lint-imports` passes: layers inside each area, areas in one order, accounts at the bottom."""
    result = subprocess.run([str(LINTER), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def imported_roots(path: Path) -> set[str]:
    """The top-level names a module imports, at module level or inside functions."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_kernel_modules_import_no_area():
    """extensions, errors, clock, ... are below every area (import-linter only checks packages)."""
    for name in KERNEL:
        wrong = imported_roots(ROOT / f"{name}.py") & set(AREAS + ("app", "models"))
        assert not wrong, f"{name}.py imports {sorted(wrong)}"


def test_a_broken_contract_fails_the_check(tmp_path):
    """The check is real: the same contracts fail on a copy where accounts imports an area above it."""
    for name in AREAS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    with (tmp_path / "accounts" / "authz.py").open("a", encoding="utf-8") as handle:
        handle.write("\nfrom citizen.reports import routing  # noqa: E402,F401\n")
    result = subprocess.run([str(LINTER), "--no-logo", "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "accounts imports no other area BROKEN" in result.stdout
