import logging

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    """Order received: the end user's details and the contract start (the sales admin), and for SF
    orders the end user's portal login handed to Customer Support."""

    _inherit = "sale.order"

    after_sales_portal_user_id = fields.Many2one(
        "res.users",
        string="End User's Portal Login",
        readonly=True,
        copy=False,
        help="Granted on confirmation of an order of the SF product families (Settings).",
    )

    def _after_sales_check_portal_user(self, vals_list):
        if not self.env.su and any("after_sales_portal_user_id" in vals for vals in vals_list):
            raise AccessError(
                self.env._("The end user's portal login is granted on confirmation, not typed in.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._after_sales_check_portal_user(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._after_sales_check_portal_user([vals])
        return super().write(vals)

    # --- order received ---------------------------------------------------------------------------
    def _after_sales_check_order_admin(self):
        """Only a sales admin or a sales manager records what the order received brings."""
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("sales_cycle_process.group_sales_admin")
            or user.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a sales admin or a sales manager records the end user and the contract start."
                )
            )
        self.check_access("write")
        cancelled = self.filtered(lambda o: o.state == "cancel")
        if cancelled:
            raise UserError(
                self.env._(
                    "A cancelled order has no end user to record: %s.", ", ".join(cancelled.mapped("name"))
                )
            )

    def action_record_end_user(self):
        self.ensure_one()
        self._after_sales_check_order_admin()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Order Received: End User"),
            "res_model": "scp.end.user.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _action_confirm(self):
        res = super()._action_confirm()
        # "Acknowledges order, begin contract": a contract starts on confirmation unless a date is set
        contracts = self.filtered(lambda o: o.is_contract and not o.contract_start_date)
        if contracts:
            contracts.write({"contract_start_date": fields.Date.context_today(self)})
        self._after_sales_portal_orders()._after_sales_grant_portal()
        return res

    # --- SF orders: the end user's portal login, handed to Customer Support ----------------------
    def _after_sales_portal_orders(self):
        """The orders with a product of their company's SF product families (or a sub-category)."""
        orders = self.browse()
        for company, company_orders in self.grouped("company_id").items():
            categories = company.sudo().after_sales_portal_categ_ids
            if not categories:
                continue
            families = self.env["product.category"].sudo().search([("id", "child_of", categories.ids)])
            orders |= company_orders.filtered(
                lambda o, families=families: o.order_line.product_id.categ_id & families
            )
        return orders

    def _after_sales_grant_portal(self):
        """Grant the end user of each order a portal login through Odoo's portal wizard (its invitation
        e-mail carries the sign-up link: nobody sees a password) and plan the handover for Customer
        Support with the login. The caller confirmed the orders: the grant is the server's own, as
        superuser, for these orders' end users only."""
        for order in self.filtered(lambda o: not o.after_sales_portal_user_id):
            try:
                with self.env.cr.savepoint():
                    user = order._after_sales_portal_user()
            except Exception as error:  # one bad contact must not stop the confirmation
                _logger.warning("Portal access failed for %s", order.name, exc_info=True)
                order.message_post(
                    body=self.env._(
                        "The end user's portal access could not be granted (%s): grant it from the contact "
                        "(Action > Grant portal access).",
                        error,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            if user:
                order.sudo().after_sales_portal_user_id = user
                order._after_sales_hand_login_to_support(user)

    def _after_sales_portal_user(self):
        """The end user's portal user, granted through ``portal.wizard`` when they have none; empty
        (with a note in the chatter) when the end user has no e-mail address."""
        self.ensure_one()
        partner = self.after_sales_customer_id
        wizard = self.env["portal.wizard"].sudo().create({"partner_ids": [Command.set(partner.ids)]})
        wizard_user = wizard.user_ids.filtered(lambda u: u.partner_id == partner)
        if wizard_user.is_internal:
            # an employee is no end user: no portal login, and their login is not handed out
            reason = self.env._(
                "%(partner)s is a user of this database, not an end user: no portal login is handed to "
                "support. Check the order's end-user customer.",
                partner=partner.display_name,
            )
        elif wizard_user.is_portal:
            return wizard_user.user_id
        elif wizard_user.email_state != "ok":
            reason = self.env._(
                "%(partner)s gets no portal login: their e-mail address is missing or used by another "
                "user. Correct the contact, then grant the access from it.",
                partner=partner.display_name,
            )
        else:
            wizard_user.action_grant_access()
            return wizard_user.user_id
        self.message_post(body=reason, subtype_xmlid="mail.mt_note")
        return self.env["res.users"]

    def _after_sales_hand_login_to_support(self, user):
        """An activity for Customer Support (the company's support user, else the salesperson) with the
        portal user and their login; a handover already planned for the order gets the login added."""
        self.ensure_one()
        note = Markup("<p>%s</p><ul><li>%s</li><li>%s</li></ul><p>%s</p>") % (
            self.env._("Website login of %s:", self.after_sales_customer_id.display_name),
            self.env._("Portal user: %s", user.name),
            self.env._("Login: %s", user.login),
            self.env._(
                "Odoo e-mailed the end user an invitation with a sign-up link; they choose their own secret. "
                "Never send one by e-mail or in a message."
            ),
        )
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_after_sales_handover")
        Activity = self.env["mail.activity"]
        planned = Activity.sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("activity_type_id", "=", activity_type.id),
            ],
            limit=1,
        )
        if planned:
            planned.note = (planned.note or Markup()) + note
            return planned
        support = self.company_id.sudo().after_sales_support_user_id
        if not support.active:
            support = self._after_sales_followup_user()
        activity = Activity._scp_create_activities(
            [
                Activity._scp_activity_vals(
                    self,
                    activity_type,
                    support,
                    self.env._(
                        "Website login of %(end_user)s: %(login)s",
                        end_user=self.after_sales_customer_id.display_name,
                        login=user.login,
                    ),
                    fields.Date.context_today(self),
                    note=note,
                )
            ],
            notify=True,
        )
        self.sudo().after_sales_support_handover = True
        return activity
