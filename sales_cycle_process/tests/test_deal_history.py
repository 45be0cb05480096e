from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDealHistory(TransactionCase):
    """Each move of a deal's expected closing is tracked in its chatter, and counted from there: later is a
    slip, earlier a pull-in (crm.lead._scp_closing_date_moves)."""

    def test_closing_date_moves_are_counted_from_the_chatter(self):
        rep = new_test_user(self.env, "hist_rep", groups="sales_team.group_sale_salesman")
        with freeze_time("2026-03-02 09:00:00"):
            deal = (
                self.env["crm.lead"]
                .with_user(rep)
                .create(
                    {"name": "Line 4 retrofit", "type": "opportunity", "date_deadline": date(2026, 3, 31)}
                )
            )
            self.env.cr.precommit.run()  # Odoo logs the creation (and later each move) before the commit
        for when, closing in (
            ("2026-03-09 09:00:00", date(2026, 4, 30)),  # slip
            ("2026-03-16 09:00:00", date(2026, 5, 31)),  # slip
            ("2026-03-23 09:00:00", date(2026, 5, 15)),  # pull-in
        ):
            with freeze_time(when):
                deal.with_user(rep).date_deadline = closing
                self.env.cr.precommit.run()
        messages = deal.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "date_deadline"
        )
        self.assertEqual(len(messages), 3, "each move shows in the deal's chatter")
        self.assertEqual(deal._scp_closing_date_moves(), {deal.id: (2, 1)})
        self.assertEqual(
            deal._scp_closing_date_moves(datetime(2026, 3, 10), datetime(2026, 3, 30)),
            {deal.id: (1, 1)},
            "only the moves of the period: the second slip and the pull-in",
        )
