"""Browser tests must wait for what they check.

Playwright's ``is_visible()``, ``inner_text()`` and ``page.content()`` read the page as it is at that instant. Right
after a click that posts a form, that can still be the old page: the test then fails on a slow machine only (CI
failed this way on ``test_browser_messages.py`` in Ukrainian, on PostgreSQL). ``expect(locator)`` retries until
the page shows what it should, and ``koers.browser_testing.submit`` waits for the next page. This test reads the
browser tests and refuses the two patterns that do not wait, so the rule does not depend on remembering it."""

from __future__ import annotations

import ast
from pathlib import Path

import koers

NO_WAIT = {"is_visible", "is_hidden", "inner_text", "text_content", "content", "is_checked", "input_value"}


def browser_test_files() -> list[Path]:
    return sorted(Path(koers.__file__).parent.glob("*/tests/test_browser*.py"))


def calls_in(node: ast.AST) -> set[str]:
    return {
        n.func.attr for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }


def problems(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and (used := calls_in(node.test) & NO_WAIT):
            found.append(f"{path.name}:{node.lineno}: assert with {', '.join(sorted(used))}(): use expect(...)")
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for first, second in zip(body, body[1:], strict=False):
                if not (isinstance(first, ast.Expr) and isinstance(second, ast.Expr)):
                    continue
                if "click" in calls_in(first) and "wait_for_load_state" in calls_in(second):
                    found.append(f"{path.name}:{second.lineno}: click() and wait_for_load_state(): use submit()")
    return found


def test_the_rule_sees_both_patterns(tmp_path):
    sample = tmp_path / "test_browser_sample.py"
    sample.write_text(
        "def test_x(page):\n"
        "    page.get_by_role('button').click()\n"
        "    page.wait_for_load_state()\n"
        "    assert 'Opgeslagen' in page.locator('.messages').inner_text()\n"
        "    assert page.locator('#x').is_visible()\n"
    )
    assert len(problems(sample)) == 3


def test_browser_tests_wait_for_what_they_check():
    files = browser_test_files()
    assert len(files) > 10
    found = [p for f in files for p in problems(f)]
    assert not found, "\n".join(found)
