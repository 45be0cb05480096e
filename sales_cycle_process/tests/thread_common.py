import contextlib
from unittest.mock import patch

from odoo.modules.registry import DummyRLock, Registry


@contextlib.contextmanager
def registry_open_to_threads():
    """Let a test's worker threads look the registry up while they run.

    Odoo's own runner (``odoo-bin --test-enable``) runs the post-install tests while its main thread holds
    the registry lock, so a worker thread's ``api.Environment`` would wait for it until the join times out;
    pytest-odoo holds no lock. The registry is loaded and nothing reloads it during the test (Odoo's HTTP
    test cases do the same in test mode)."""
    with patch.object(Registry, "_lock", DummyRLock()):
        yield
