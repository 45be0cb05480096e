# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """The escalation of overdue corrective actions (issue #18, item 8)."""

    _inherit = "res.company"

    after_sales_escalation_director_days = fields.Integer(
        string="Escalate to Managing Director After (days)",
        default=5,
        help="A corrective action not closed by its due date goes to the sales manager the next day; still "
        "open this number of days later, it goes to the managing director.",
    )

    @api.constrains("after_sales_escalation_director_days")
    def _check_after_sales_escalation_days(self):
        if any(company.after_sales_escalation_director_days < 1 for company in self):
            raise ValidationError(
                self.env._("The managing director is told at least one day after the sales manager.")
            )
