from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals and not vals["active"]:
            # a lost deal: its quotations are not followed up any more
            self.sudo().order_ids.filtered(lambda o: o.state in ("draft", "sent"))._quote_followup_close(
                self.env._("Opportunity lost: the quotation follow-up is closed.")
            )
        return res
