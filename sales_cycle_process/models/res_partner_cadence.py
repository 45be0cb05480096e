from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    distributor_tier = fields.Selection(
        [("large", "Large distributor"), ("small", "Small distributor")],
        help="Drives the status-check calls and the sales-manager visits of the cadence rules.",
    )
    selected_customer = fields.Boolean(
        help="Selected customers get a quarterly status-check call from their salesperson.",
    )
    cadence_state_ids = fields.One2many("scp.cadence.state", "partner_id", string="Cadences")
    visit_report_ids = fields.One2many("scp.visit.report", "partner_id", string="Visit Reports")
