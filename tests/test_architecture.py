"""The import contracts of docs/architecture.md hold, and a wrong-direction import breaks them.

``make lint`` runs ``lint-imports`` on the tree; these tests run the same contracts from
``pyproject.toml`` so that the suite shows both that main keeps them and that they are not
vacuous (an import against the direction is reported as broken, with the offending line).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(),
                                reason="import-linter is not installed (make install adds it)")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, text=True,
                          capture_output=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin"},
                          timeout=120, check=False)


def _copy_tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "engine", tmp_path / "engine",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_main_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "imported", "contract"), [
    ("engine/procedure/model.py", "engine.cases.runtime", "engine.procedure is not allowed"),
    ("engine/cases/runtime.py", "engine.store", "engine.cases is not allowed"),
    ("engine/render/dot.py", "engine.api", "engine.render is not allowed"),
    ("engine/casework/warm.py", "engine.api", "engine.casework is not allowed"),
])
def test_an_import_against_the_direction_is_broken(tmp_path: Path, module: str, imported: str,
                                                     contract: str) -> None:
    tree = _copy_tree(tmp_path)
    with (tree / module).open("a", encoding="utf-8") as fh:
        fh.write(f"\nimport {imported}  # against the direction\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert contract in result.stdout, result.stdout
    assert f"-> {imported}" in result.stdout
