from odoo import api, fields, models


class SaleCorrectiveAction(models.Model):
    _name = "scp.corrective.action"
    _description = "After-Sales Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_due, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
    )
    order_id = fields.Many2one("sale.order", string="Sales Order", index=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        default=lambda self: self.env.company,
    )
    salesperson_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True)

    @api.depends("order_id")
    def _compute_partner_id(self):
        for action in self.filtered("order_id"):
            action.partner_id = action.order_id.after_sales_customer_id

    @api.depends("order_id")
    def _compute_company_id(self):
        for action in self.filtered("order_id"):
            action.company_id = action.order_id.company_id

    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True
