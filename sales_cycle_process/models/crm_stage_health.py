# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The limits a sales manager sets on each stage: a deal over one of them is stale (crm.lead.health_stale).
HEALTH_LIMIT_FIELDS = ("health_max_days_in_stage", "health_max_slips", "health_max_days_without_contact")


class CrmStage(models.Model):
    _inherit = "crm.stage"

    # crm.stage is read-only to salespeople (crm's access rights): only sales managers set the limits
    health_max_days_in_stage = fields.Integer(
        string="Stale After (days in stage)",
        help="A deal that stays longer than this many days in this stage is stale. 0: no limit.",
    )
    health_max_slips = fields.Integer(
        string="Stale After (closing date slips)",
        help="A deal whose expected closing was moved later more often than this is stale. 0: no limit.",
    )
    health_max_days_without_contact = fields.Integer(
        string="Stale After (days without contact)",
        help="A deal with no message, e-mail or done activity for more than this many days is stale. "
        "0: no limit.",
    )

    @api.constrains(*HEALTH_LIMIT_FIELDS)
    def _check_health_limits(self):
        for stage in self:
            if any(stage[fname] < 0 for fname in HEALTH_LIMIT_FIELDS):
                raise ValidationError(
                    self.env._(
                        "The limits of stage “%(stage)s” after which a deal is stale are numbers of days "
                        "or slips: none is negative (0 means no limit).",
                        stage=stage.name,
                    )
                )
