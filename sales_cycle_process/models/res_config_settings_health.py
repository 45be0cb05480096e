from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The weekly digest of stale deals of the current company (field and default on ``res.company``)."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    health_digest_enabled = fields.Boolean(related="company_id.health_digest_enabled", readonly=False)
