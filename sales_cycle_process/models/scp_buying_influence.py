from odoo import fields, models

BUYING_ROLES = [
    ("economic", "Economic buyer"),
    ("user", "User buyer"),
    ("technical", "Technical buyer"),
    ("coach", "Coach"),
]


class CrmLeadBuyingInfluence(models.Model):
    """A person on the customer's side who influences the purchase, with their role."""

    _name = "scp.buying.influence"
    _description = "Deal Buying Influence"
    _order = "lead_id, role, id"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Contact", required=True)
    role = fields.Selection(BUYING_ROLES, required=True, default="user")
    function = fields.Char(related="partner_id.function")
    note = fields.Char()
    company_id = fields.Many2one(related="lead_id.company_id")
