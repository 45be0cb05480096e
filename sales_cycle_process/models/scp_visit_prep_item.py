from odoo import fields, models


class ScpVisitPrepItem(models.Model):
    """An item of the visit preparation checklist (the deck's part 1: before visiting the customer)."""

    _name = "scp.visit.prep.item"
    _description = "Visit Preparation Item"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True, help="What to prepare, shown to the visitor.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: the item is on the checklist of every company.",
    )

    def _checklist(self, company):
        """The active items of ``company``'s checklist."""
        return self.search([("company_id", "in", (False, company.id))])
