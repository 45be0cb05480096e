"""queue_job's test helpers for the glue addon's tests.

queue_job 18.0.4.x registers its ``_patch_method`` with ``odoo.tests.common.SETATTR_SOURCES``, which only
recent Odoo 18.0 sources define (Odoo's check of who patches model classes in tests). On an older 18.0
source the registry is absent and nothing checks the patches: an empty one lets the helpers import.
"""

from odoo.tests import common as odoo_test_common

if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs

__all__ = ["trap_jobs"]
