# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

_logger = logging.getLogger(__name__)


def uninstall_hook(env):
    """Remove the QPA's tier definitions and their reviews before the addon goes.

    Without the addon, OCA's tier validation would keep blocking the quotations under a QPA review
    (a pending or rejected review stops their confirmation) and fail on every sale order while a
    definition's domain names a QPA field that no longer exists. The approvals stay in the chatter.
    """
    env = env(su=True)
    Data = env["ir.model.data"]
    ours = Data.search([("module", "=", "sales_cycle_process"), ("model", "=", "tier.definition")])
    definitions = env["tier.definition"].with_context(active_test=False)
    definitions = definitions.browse(ours.mapped("res_id")).exists() | definitions.search(
        [("model", "=", "sale.order"), ("definition_domain", "ilike", "qpa_")]
    )
    reviews = env["tier.review"].search(
        [
            "|",
            ("definition_id", "in", definitions.ids),
            "&",
            ("model", "=", "sale.order"),
            ("definition_id", "=", False),
        ]
    )
    _logger.info(
        "sales_cycle_process uninstall: removing %s QPA reviews and %s QPA tier definitions",
        len(reviews),
        len(definitions),
    )
    reviews.unlink()
    definitions.unlink()
