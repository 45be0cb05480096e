from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    after_sales_system_info = fields.Text(
        string="System-Specific Information",
        translate=True,
        help="Printed on the welcome letter of every order that contains this product.",
    )
