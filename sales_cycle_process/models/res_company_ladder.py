from odoo import api, fields, models
from odoo.exceptions import ValidationError

GATE_MODES = [
    ("off", "Off"),
    ("warn", "Warn"),
    ("block", "Block"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    ladder_gate_mode = fields.Selection(
        GATE_MODES,
        string="Stage Gate",
        default="warn",
        required=True,
        help="What happens when a deal moves up to a stage while required entry criteria of that stage "
        "(or of a stage it jumps) are not checked: nothing (off), a warning and a chatter note (warn), or "
        "the move is refused (block).",
    )
    engineering_review_threshold = fields.Monetary(
        currency_field="currency_id",
        default=250000.0,
        help="Deals whose expected revenue reaches this amount (in the company currency) are referred "
        "to engineering for review.",
    )
    engineering_review_user_id = fields.Many2one(
        "res.users",
        string="Engineering Reviewer",
        help="Receives the “Engineering review” activities. Empty (or the deal's own salesperson): an "
        "application engineer of the company, else the sales team leader, else a sales manager; never the "
        "deal's salesperson.",
    )

    @api.constrains("engineering_review_threshold")
    def _check_engineering_review_threshold(self):
        for company in self:
            if company.engineering_review_threshold < 0:
                raise ValidationError(self.env._("The engineering review threshold cannot be below zero."))

    @api.constrains("engineering_review_user_id")
    def _check_engineering_review_user(self):
        for company in self:
            user = company.engineering_review_user_id
            if user and (user.share or company not in user.company_ids):
                raise ValidationError(
                    self.env._(
                        "The engineering reviewer %(user)s must be an internal user of %(company)s.",
                        user=user.name,
                        company=company.name,
                    )
                )
