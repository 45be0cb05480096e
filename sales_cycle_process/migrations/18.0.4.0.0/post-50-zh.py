# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.4.0.0, after the update: Odoo's four default stages the ladder renamed (Lead intake, Met with
customer, Final proposal, Order received) forget crm's translations of their old names
(zh_CN: 新, 已确认, 提议, 赢得), so that the translations Odoo loads right after this script give
them the deck's names (导入期, 与客户会面, 完成最终销售方案, 收到订单). A stage a company renamed
is left alone. Idempotent."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.stage"]._i18n_reset_ladder_stage_translations()
