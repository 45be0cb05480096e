from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    corrective_action_ids = fields.One2many(
        "scp.corrective.action",
        "partner_id",
        string="Corrective Actions",
        groups="sales_team.group_sale_salesman",
    )
    corrective_action_count = fields.Integer(
        compute="_compute_corrective_action_count", groups="sales_team.group_sale_salesman"
    )

    def _compute_corrective_action_count(self):
        counts = dict(
            self.env["scp.corrective.action"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.corrective_action_count = counts.get(partner._origin, 0)

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_cycle_process.scp_corrective_action_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
