# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one guard of a deal's fields that only the server writes (the engineering review, a manager's
overrides, the amounts in the company currency, the health figures, the calibration's figures, ...).

Each part names its fields and the message a client gets in ``_scp_server_fields()`` (``super()`` then
``update``); this file refuses them from every client, with any context: a value other than the one the deal
holds raises ``AccessError``, and the current value re-sent (the web client sends what it shows) is dropped,
so the server keeps deciding it. The superuser, i.e. the addon's own code after it checked the caller, writes
them."""

from odoo import api, models
from odoo.exceptions import AccessError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.model
    def _scp_server_fields(self):
        """``{field name: the message a client gets when it sends another value}``."""
        return {}

    def _scp_holds(self, fname, value):
        """Whether every deal of ``self`` already holds ``value`` (as a client sends it) in ``fname``."""
        field = self._fields[fname]
        for lead in self:
            current = lead[fname]
            if field.type == "many2one":
                same = current.id == (value or False)
            elif field.type == "boolean":
                same = bool(current) == bool(value)
            else:
                same = (current or False) == (value or False)
            if not same:
                return False
        return True

    @api.model
    def _scp_refuse_client_create(self, vals_list):
        if self.env.su:
            return
        guarded = self._scp_server_fields()
        for vals in vals_list:
            for fname in sorted(guarded.keys() & vals.keys()):
                if vals[fname]:
                    raise AccessError(guarded[fname])

    def _scp_refuse_client_write(self, vals):
        """``vals`` without the server's fields, or ``AccessError`` if a client sent another value."""
        if self.env.su:
            return vals
        guarded = self._scp_server_fields()
        sent = guarded.keys() & vals.keys()
        if not sent:
            return vals
        for fname in sorted(sent):
            if not self._scp_holds(fname, vals[fname]):
                raise AccessError(guarded[fname])
        return {fname: value for fname, value in vals.items() if fname not in sent}

    @api.model_create_multi
    def create(self, vals_list):
        self._scp_refuse_client_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        return super().write(self._scp_refuse_client_write(vals))
