# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Cycle Process - Inventory",
    "summary": "Take the after-sales shipment date from the validated delivery order",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sales-cycle-process/sales_cycle_process",
    "author": "sales_cycle_process contributors",
    "license": "AGPL-3",
    "depends": ["sales_cycle_process", "sale_stock"],
    "auto_install": True,
}
