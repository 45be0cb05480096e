import ast
from pathlib import Path

from odoo.tests import TransactionCase, tagged

TESTS = Path(__file__).resolve().parent


@tagged("post_install", "-at_install")
class TestOdooRunner(TransactionCase):
    def test_odoo_runner_finds_every_test_module(self):
        """`odoo-bin --test-enable` runs only the test modules the package imports: every test_*.py
        pytest-odoo finds must be imported by tests/__init__.py, so both runners run the same tests."""
        tree = ast.parse((TESTS / "__init__.py").read_text(encoding="utf-8"))
        imported = {
            alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
        }
        on_disk = {path.stem for path in TESTS.glob("test_*.py")}
        self.assertEqual(sorted(on_disk - imported), [], "test modules Odoo's runner would not run")
        self.assertEqual(sorted(imported - on_disk), [], "imported test modules that do not exist")
