from odoo import api, fields, models
from odoo.exceptions import UserError


class ScpEndUserWizard(models.TransientModel):
    """Order received: the sales admin links or creates the end-user customer and records the
    contract start ("obtains user customer details", "acknowledges order, begin contract")."""

    _name = "scp.end.user.wizard"
    _description = "Order Received: End User"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("link", "An existing contact"), ("create", "A new contact")],
        string="End User",
        required=True,
        default="link",
    )
    partner_id = fields.Many2one("res.partner", string="Contact")
    name = fields.Char(string="Company Name")
    contact_name = fields.Char(string="Contact Person")
    email = fields.Char()
    phone = fields.Char()
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    country_id = fields.Many2one("res.country")
    is_contract = fields.Boolean(string="Contract")
    contract_start_date = fields.Date()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["sale.order"].browse(res.get("order_id"))
        if order:
            if order.end_user_partner_id:
                res.setdefault("partner_id", order.end_user_partner_id.id)
            res.setdefault("is_contract", order.is_contract)
            res.setdefault("contract_start_date", order.contract_start_date)
        return res

    @api.onchange("is_contract")
    def _onchange_is_contract(self):
        if self.is_contract and not self.contract_start_date:
            self.contract_start_date = fields.Date.context_today(self)

    def _end_user_partner(self):
        self.ensure_one()
        if self.mode == "link":
            if not self.partner_id:
                raise UserError(self.env._("Pick the end user's contact, or choose to create a new one."))
            return self.partner_id
        if not self.name:
            raise UserError(self.env._("Give the end user's company name to create their contact."))
        company = self.env["res.partner"].create(
            {
                "name": self.name,
                "is_company": True,
                "email": self.email,
                "phone": self.phone,
                "street": self.street,
                "zip": self.zip,
                "city": self.city,
                "country_id": self.country_id.id,
            }
        )
        if not self.contact_name:
            return company
        return self.env["res.partner"].create(
            {
                "name": self.contact_name,
                "parent_id": company.id,
                "type": "contact",
                "email": self.email,
                "phone": self.phone,
            }
        )

    def action_apply(self):
        self.ensure_one()
        order = self.order_id
        order._after_sales_check_order_admin()
        if self.is_contract and not self.contract_start_date:
            raise UserError(self.env._("Give the contract's start date."))
        partner = self._end_user_partner()
        order.write(
            {
                "end_user_partner_id": partner.id,
                "is_contract": self.is_contract,
                "contract_start_date": self.contract_start_date if self.is_contract else False,
            }
        )
        order.message_post(
            body=self.env._(
                "Order received: end user %(partner)s recorded by %(user)s.",
                partner=partner.display_name,
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
