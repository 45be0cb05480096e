# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """The thresholds of the quarterly seller classes (issue #18, item 9)."""

    _inherit = "res.company"

    seller_class_a_attainment = fields.Float(
        string="Class A From (% of target)", default=100.0, help="Quarter's attainment giving class A."
    )
    seller_class_b_attainment = fields.Float(string="Class B From (% of target)", default=85.0)
    seller_class_c_attainment = fields.Float(string="Class C From (% of target)", default=70.0)
    seller_class_submission_goal = fields.Float(
        string="Submission Goal (%)",
        default=100.0,
        help="Commits and forecasts submitted below this share lower the class by one each (the deck: 100 %, "
        "no exceptions).",
    )

    @api.constrains(
        "seller_class_a_attainment",
        "seller_class_b_attainment",
        "seller_class_c_attainment",
        "seller_class_submission_goal",
    )
    def _check_seller_class_thresholds(self):
        for company in self:
            if not (
                company.seller_class_a_attainment
                > company.seller_class_b_attainment
                > company.seller_class_c_attainment
                >= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The attainment thresholds must go down from class A to class C (A > B > C >= 0)."
                    )
                )
            if not 0 <= company.seller_class_submission_goal <= 100:
                raise ValidationError(self.env._("The submission goal is a share between 0 and 100 %."))
