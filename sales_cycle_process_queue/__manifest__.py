# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Cycle Process - Job Queue",
    "summary": "Run the cadence planning and the large XLSX packs as OCA queue_job jobs",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sales-cycle-process/sales_cycle_process",
    "author": "sales_cycle_process contributors",
    "license": "AGPL-3",
    "depends": ["sales_cycle_process", "queue_job"],
    "data": [
        "data/queue_job_data.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
