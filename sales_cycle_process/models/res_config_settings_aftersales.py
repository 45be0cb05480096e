from odoo import api, fields, models
from odoo.exceptions import ValidationError

PARAM_PREFIX = "sales_cycle_process.aftersales_"
# The distributor check comes before the satisfaction call (60 to 90 days after shipment).
MAX_FOLLOWUP_DAYS = 59


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_ack_on_confirm = fields.Boolean(
        string="Acknowledge Orders on Confirmation",
        config_parameter=PARAM_PREFIX + "ack_on_confirm",
        help="Email the order acknowledgment to the distributor when an order is confirmed.",
    )
    aftersales_production_email = fields.Char(
        string="Production Address",
        config_parameter=PARAM_PREFIX + "production_email",
        help="Email address that receives the soft copy of welcome letters.",
    )
    aftersales_website_access_text = fields.Char(
        string="Website Access Information",
        config_parameter=PARAM_PREFIX + "website_access_text",
        help="Printed on every welcome letter unless the order gives its own text.",
    )
    aftersales_followup_days = fields.Integer(
        string="Distributor Check After (days)",
        config_parameter=PARAM_PREFIX + "followup_days",
        default=14,
    )
    aftersales_satisfaction_days = fields.Integer(
        string="Satisfaction Call After (days)",
        config_parameter=PARAM_PREFIX + "satisfaction_days",
        default=60,
    )
    aftersales_excepted_team_id = fields.Many2one(
        "crm.team",
        string="Excepted Sales Team",
        config_parameter=PARAM_PREFIX + "excepted_team_id",
        help="Orders of this sales team get no distributor check and no satisfaction call.",
    )
    aftersales_support_user_id = fields.Many2one(
        "res.users",
        string="Customer Support User",
        config_parameter=PARAM_PREFIX + "support_user_id",
        help="Receives the website login handover of support-managed orders.",
    )

    @api.constrains("aftersales_followup_days", "aftersales_satisfaction_days")
    def _check_aftersales_days(self):
        for settings in self:
            if settings.aftersales_followup_days < 1:
                raise ValidationError(
                    self.env._("The distributor check must come at least one day after shipment.")
                )
            if not 60 <= settings.aftersales_satisfaction_days <= 90:
                raise ValidationError(
                    self.env._("The satisfaction call must come between 60 and 90 days after shipment.")
                )
            if settings.aftersales_followup_days > MAX_FOLLOWUP_DAYS:
                raise ValidationError(
                    self.env._(
                        "The distributor check must come at most %s days after shipment, "
                        "before the satisfaction call.",
                        MAX_FOLLOWUP_DAYS,
                    )
                )
