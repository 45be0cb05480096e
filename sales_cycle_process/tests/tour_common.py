"""Shared set-up for the browser tours (not a test module itself)."""

import shutil
import unittest

from odoo.tests import HttpCase

CHROMIUM_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


class TourCase(HttpCase):
    """A tour needs a headless Chromium; without one the whole class is skipped, saying so."""

    @classmethod
    def setUpClass(cls):
        if not any(shutil.which(name) for name in CHROMIUM_NAMES):
            raise unittest.SkipTest(
                "Chromium is not installed: the browser tours are skipped (apt-get install chromium)"
            )
        super().setUpClass()
