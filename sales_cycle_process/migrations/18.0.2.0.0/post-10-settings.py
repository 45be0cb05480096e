# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0: the after-sales and the commit/forecast settings move from ``ir.config_parameter`` (one
value for the whole database) to fields of ``res.company`` (one value per company).

Every company (archived ones too) gets the values the old parameters held. A value that cannot be read
as its field's type, or that the company's checks refuse, leaves the field at its default, with a
warning; a sales team or user id is copied only if the record still exists and (for the team) belongs to
that company or to none. The old parameters are deleted afterwards. Running the script again finds no
parameter and changes nothing.
"""

import logging
import math

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

# {old ir.config_parameter key: (res.company field, kind)}
MOVED_SETTINGS = {
    "sales_cycle_process.aftersales_ack_on_confirm": ("after_sales_ack_on_confirm", "bool"),
    "sales_cycle_process.aftersales_production_email": ("after_sales_production_email", "char"),
    "sales_cycle_process.aftersales_website_access_text": ("after_sales_website_access_text", "char"),
    "sales_cycle_process.aftersales_followup_days": ("after_sales_followup_days", "int"),
    "sales_cycle_process.aftersales_satisfaction_days": ("after_sales_satisfaction_days", "int"),
    "sales_cycle_process.aftersales_excepted_team_id": ("after_sales_excepted_team_id", "team"),
    "sales_cycle_process.aftersales_support_user_id": ("after_sales_support_user_id", "user"),
    "sales_cycle_process.commit_deadline_hour": ("commit_deadline_hour", "int"),
    "sales_cycle_process.band_accuracy_min": ("forecast_band_accuracy_min", "float"),
    "sales_cycle_process.band_accuracy_max": ("forecast_band_accuracy_max", "float"),
    "sales_cycle_process.band_coverage_min": ("forecast_band_coverage_min", "float"),
    "sales_cycle_process.band_growth_min": ("forecast_band_growth_min", "float"),
    "sales_cycle_process.band_growth_good": ("forecast_band_growth_good", "float"),
    "sales_cycle_process.band_unfulfilled_max": ("forecast_band_unfulfilled_max", "float"),
}
NOT_READABLE = object()


def parse(raw, kind):
    """The stored text ``raw`` as a value of ``kind``; NOT_READABLE when it is none."""
    text = (raw or "").strip()
    if kind == "char":
        return text or False
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
        return NOT_READABLE
    try:
        number = float(text)
    except ValueError:
        return NOT_READABLE
    if not math.isfinite(number):
        return NOT_READABLE
    if kind == "float":
        return number
    if number != int(number):
        return NOT_READABLE
    return int(number)


def company_values(env, company, old_values):
    """{company field: value} of the old settings that fit ``company``."""
    values = {}
    for key, (fname, kind) in MOVED_SETTINGS.items():
        if key not in old_values:
            continue
        raw = old_values[key]
        value = parse(raw, "int" if kind in ("team", "user") else kind)
        if value is not NOT_READABLE and kind == "team":
            team = env["crm.team"].with_context(active_test=False).browse(value).exists()
            value = team.id if team and team.company_id in (company, env["res.company"]) else NOT_READABLE
        elif value is not NOT_READABLE and kind == "user":
            user = env["res.users"].with_context(active_test=False).browse(value).exists()
            value = user.id if user else NOT_READABLE
        if value is NOT_READABLE:
            _logger.warning(
                "Setting %s (%r) does not fit %s: %s keeps its default", key, raw, company.name, fname
            )
            continue
        values[fname] = value
    return values


def write_checked(company, values):
    """Write ``values`` on ``company``; if its checks refuse them together, field by field (twice, so
    that a pair checked together, e.g. a band's minimum and maximum, goes in whichever order), leaving
    the refused fields at their defaults (logged)."""
    try:
        with company.env.cr.savepoint():
            company.write(values)
        return
    except (UserError, ValidationError):
        pass
    refused = dict(values)
    for last_round in (False, True):
        for fname, value in list(refused.items()):
            try:
                with company.env.cr.savepoint():
                    company.write({fname: value})
                del refused[fname]
            except (UserError, ValidationError) as error:
                if last_round:
                    _logger.warning(
                        "Setting %s = %r refused for %s (%s): it keeps its default",
                        fname,
                        value,
                        company.name,
                        error,
                    )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"].sudo().search([("key", "in", list(MOVED_SETTINGS))])
    if not params:
        return
    old_values = {param.key: param.value for param in params}
    companies = env["res.company"].with_context(active_test=False).search([])
    for company in companies:
        values = company_values(env, company, old_values)
        if values:
            write_checked(company, values)
    _logger.info(
        "Settings moved to the %s companies: %s; their parameters are deleted",
        len(companies),
        ", ".join(sorted(old_values)),
    )
    params.unlink()
