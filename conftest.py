"""pytest configuration shared by the addon's tests and the lifecycle tests."""

import importlib

import odoo


def pytest_configure(config):
    # The test modules import odoo.tests while pytest collects them; Odoo logs an ERROR for that
    # import unless it believes it is in test mode. Import it once here, in test mode.
    if config.getoption("--odoo-database", None) or config.getoption("--odoo-config", None):
        previous = odoo.tools.config["test_enable"]
        odoo.tools.config["test_enable"] = True
        importlib.import_module("odoo.tests")

        odoo.tools.config["test_enable"] = previous
