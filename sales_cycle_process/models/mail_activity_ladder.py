from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        review_type = self.env.ref(
            "sales_cycle_process.mail_activity_type_engineering_review", raise_if_not_found=False
        )
        reviews = self.filtered(
            lambda a: review_type and a.activity_type_id == review_type and a.res_model == "crm.lead"
        )
        if reviews:
            reviews._ladder_check_reviewer()
            advice = html2plaintext(feedback or "").strip() if feedback else ""
            if not advice:
                raise UserError(
                    self.env._(
                        "Write the engineering advice in the feedback before marking the engineering "
                        "review as done: the deal cannot pass 50 % without it."
                    )
                )
            leads = self.env["crm.lead"].sudo().browse(reviews.mapped("res_id")).exists()
            leads.write(
                {
                    "engineering_review_advice": advice,
                    "engineering_review_done": True,
                    "engineering_review_user_id": self.env.uid,
                }
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _ladder_check_reviewer(self):
        """Completing an engineering review lifts the 50 % gate: only the engineer the review is
        assigned to, an application engineer or a sales manager may do it."""
        user = self.env.user
        if self.env.su or user.has_group("sales_cycle_process.group_application_engineer"):
            return
        if user.has_group("sales_team.group_sale_manager"):
            return
        if any(activity.user_id != user for activity in self):
            raise AccessError(
                self.env._(
                    "Only the application engineer the review is assigned to, an application engineer "
                    "or a sales manager can complete an engineering review."
                )
            )
