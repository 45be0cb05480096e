# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Cycle Process - Dashboards",
    "summary": "The playbook's measures in Odoo's Dashboards app: forecast vs commit vs actual, "
    "pipeline by stage, commits per week",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sales-cycle-process/sales_cycle_process",
    "author": "sales_cycle_process contributors",
    "license": "AGPL-3",
    "depends": ["sales_cycle_process", "spreadsheet_dashboard"],
    "data": ["data/dashboards.xml"],
    "auto_install": True,
}
