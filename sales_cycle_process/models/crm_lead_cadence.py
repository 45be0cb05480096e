from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    visit_report_ids = fields.One2many("scp.visit.report", "lead_id", string="Visit Reports")
