"""The import contracts of `make lint` (pyproject.toml, [tool.importlinter]) hold, and they can fail.

The second test copies the source tree, puts an upward import into a participants module (inside a function,
where it is easiest to hide) and checks that `lint-imports` refuses it, naming the module.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def _lint(src: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=src, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=120,
    )


def test_the_tree_keeps_its_contracts():
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_layers_contract(tmp_path):
    shutil.copytree(ROOT / "src" / "koers", tmp_path / "koers",
                    ignore=shutil.ignore_patterns("static", "templates", "__pycache__", "*.sqlite3"))
    services = tmp_path / "koers" / "participants" / "services" / "file.py"
    services.write_text(services.read_text() + "\n\ndef _sneaky():\n    from koers.casework import models\n\n"
                        "    return models\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "koers.participants.services.file -> koers.casework.models" in result.stdout
