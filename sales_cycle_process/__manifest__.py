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
        "security/crm_lead_ladder_security.xml",
        "data/crm_stage_ladder_data.xml",
        "views/crm_stage_ladder_views.xml",
        "views/crm_lead_stage_ladder_views.xml",
        "views/res_config_settings_ladder_views.xml",
        "wizards/crm_lead_ladder_wizard_views.xml",
        "security/aftersales_security.xml",
        "data/aftersales_activity_types.xml",
        "data/aftersales_mail_templates.xml",
        "data/aftersales_cron.xml",
        "reports/welcome_letter.xml",
        "views/corrective_action_views.xml",
        "views/sale_order_after_sales_views.xml",
        "views/res_config_settings_aftersales_views.xml",
        "security/forecast_security.xml",
        "data/forecast_cron.xml",
        "views/forecast_views.xml",
        "views/forecast_wizard_views.xml",
    ],
    "demo": [
        # demo files: one line each
        "demo/ladder_demo.xml",
        "demo/aftersales_demo.xml",
        "demo/forecast_demo.xml",
    ],
    "installable": True,
    "application": False,
}
