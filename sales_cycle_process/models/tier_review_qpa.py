# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models

from .cron_guard import single_run

_logger = logging.getLogger(__name__)


class TierReview(models.Model):
    _inherit = "tier.review"

    qpa_escalated = fields.Boolean(
        string="QPA Escalated",
        copy=False,
        help="The waiting approval was already reminded and escalated.",
    )

    @api.model
    @single_run("sales_cycle_process.qpa_reminder")
    def _cron_qpa_reminder(self):
        """Remind and escalate QPA reviews waiting longer than the set days."""
        now = fields.Datetime.now()
        reviews = self.search(
            [
                ("model", "=", "sale.order"),
                ("status", "in", ("waiting", "pending")),
                ("qpa_escalated", "=", False),
            ]
        )
        orders = self.env["sale.order"].browse(reviews.mapped("res_id")).exists()
        md_group = self.env.ref("sales_cycle_process.group_managing_director")
        todo = self.env.ref("mail.mail_activity_data_todo")
        order_model = self.env["ir.model"]._get_id("sale.order")
        for review in reviews:
            order = orders.filtered(lambda o, r=review: o.id == r.res_id)
            if not order:
                continue
            days = order.company_id.qpa_reminder_days
            if review.create_date > now - timedelta(days=days):
                continue
            open_reviews = order.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
            if review.sequence != min(open_reviews.mapped("sequence")):
                continue
            try:
                with self.env.cr.savepoint():
                    group = review.reviewer_group_id
                    if group != md_group:
                        group = md_group
                    users = (review.reviewer_ids | group.users).filtered(
                        lambda u, o=order: u.active and u != o.user_id
                    )
                    self.env["mail.activity"].create(
                        [
                            {
                                "res_model_id": order_model,
                                "res_id": order.id,
                                "activity_type_id": todo.id,
                                "user_id": user.id,
                                "summary": self.env._("QPA waiting for approval"),
                                "note": self.env._("This QPA has waited more than %s days.", days),
                            }
                            for user in users
                        ]
                    )
                    order.message_post(
                        body=self.env._(
                            "QPA waiting more than %(days)s days: reminded the "
                            "approvers and escalated to %(group)s.",
                            days=days,
                            group=group.name,
                        )
                    )
                    review.qpa_escalated = True
            except Exception:  # pylint: disable=broad-except
                _logger.warning("QPA reminder failed for %s", order.name, exc_info=True)
