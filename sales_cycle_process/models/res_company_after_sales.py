# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The distributor check comes before the satisfaction call (60 to 90 days after shipment).
MAX_FOLLOWUP_DAYS = 59
SATISFACTION_DAYS = (60, 90)


class ResCompany(models.Model):
    _inherit = "res.company"

    after_sales_ack_on_confirm = fields.Boolean(
        string="Acknowledge Orders on Confirmation",
        default=True,
        help="Email the order acknowledgment to the distributor when an order is confirmed.",
    )
    after_sales_production_email = fields.Char(
        string="Production Address",
        help="Email address that receives the soft copy of welcome letters.",
    )
    after_sales_website_access_text = fields.Char(
        string="Website Access Information",
        help="Printed on every welcome letter unless the order gives its own text.",
    )
    after_sales_followup_days = fields.Integer(
        string="Distributor Check After (days)",
        default=14,
        help="Shipment + this number of days (1 to 59): the distributor check and its reminder.",
    )
    after_sales_satisfaction_days = fields.Integer(
        string="Satisfaction Call After (days)",
        default=60,
        help="Shipment + this number of days (60 to 90): the satisfaction call.",
    )
    after_sales_excepted_team_id = fields.Many2one(
        "crm.team",
        string="Excepted Sales Team",
        check_company=True,
        help="Orders of this sales team get no distributor check and no satisfaction call.",
    )
    after_sales_support_user_id = fields.Many2one(
        "res.users",
        string="Customer Support User",
        help="Receives the website login handover of support-managed orders.",
    )

    @api.constrains("after_sales_followup_days", "after_sales_satisfaction_days")
    def _check_after_sales_days(self):
        for company in self:
            if company.after_sales_followup_days < 1:
                raise ValidationError(
                    self.env._("The distributor check must come at least one day after shipment.")
                )
            if not SATISFACTION_DAYS[0] <= company.after_sales_satisfaction_days <= SATISFACTION_DAYS[1]:
                raise ValidationError(
                    self.env._("The satisfaction call must come between 60 and 90 days after shipment.")
                )
            if company.after_sales_followup_days > MAX_FOLLOWUP_DAYS:
                raise ValidationError(
                    self.env._(
                        "The distributor check must come at most %s days after shipment, "
                        "before the satisfaction call.",
                        MAX_FOLLOWUP_DAYS,
                    )
                )
