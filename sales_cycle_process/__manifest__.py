# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Cycle Process",
    "summary": "A B2B equipment vendor's sales playbook in CRM and Sales: stage ladder, "
    "cadences, quote price approval, after-sales follow-up, commit and forecast",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sales-cycle-process/sales_cycle_process",
    "author": "sales_cycle_process contributors",
    "license": "AGPL-3",
    "depends": [
        "crm",
        "sale_management",
        "sale_crm",
        "utm",
        "report_xlsx",
        "sale_tier_validation",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/security_groups.xml",
        "security/ir.model.access.csv",
        "views/menus.xml",
        # feature files: one line each, kept in playbook order
        "security/forecast_security.xml",
        "data/forecast_cron.xml",
        "views/forecast_views.xml",
        "views/forecast_wizard_views.xml",
    ],
    "demo": [
        # demo files: one line each
        "demo/forecast_demo.xml",
    ],
    "installable": True,
    "application": False,
}
