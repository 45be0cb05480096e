from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _ladder_engineering_reviews(self):
        """The engineering review activities of deals among ``self``."""
        review_type = self.env.ref(
            "sales_cycle_process.mail_activity_type_engineering_review", raise_if_not_found=False
        )
        if not review_type:
            return self.browse()
        return self.filtered(lambda a: a.activity_type_id == review_type and a.res_model == "crm.lead")

    def _action_done(self, feedback=False, attachment_ids=None):
        reviews = self._ladder_engineering_reviews()
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
            # as superuser: the review fields are the server's, set here after the reviewer check
            leads.write(
                {
                    "engineering_review_advice": advice,
                    "engineering_review_done": True,
                    "engineering_review_user_id": self.env.uid,
                }
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _ladder_check_reviewer(self):
        """Completing an engineering review lifts the 50 % gate: an application engineer, a sales
        manager, the company's engineering reviewer or the team leader may do it, never the deal's
        own salesperson, whoever the activity is assigned to."""
        if self.env.su:
            return
        user = self.env.user
        leads = self.env["crm.lead"].sudo().browse(set(self.mapped("res_id"))).exists()
        for lead in leads:
            if lead.user_id == user:
                raise AccessError(
                    self.env._(
                        "You are the salesperson of “%(deal)s”: its engineering review is completed by an "
                        "application engineer or a sales manager, not by you.",
                        deal=lead.name,
                    )
                )
            if not lead._ladder_is_engineering_reviewer(user):
                raise AccessError(
                    self.env._(
                        "Only an application engineer, a sales manager or the engineering reviewer can "
                        "complete the engineering review of “%(deal)s”.",
                        deal=lead.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        if not self.env.su:
            activities._ladder_engineering_reviews()._ladder_check_review_assignee()
        return activities

    def write(self, vals):
        res = super().write(vals)
        # reassigning (not moving: merging deals moves their activities) is checked
        if not self.env.su and {"user_id", "activity_type_id"} & set(vals):
            self._ladder_engineering_reviews()._ladder_check_review_assignee()
        return res

    def _ladder_check_review_assignee(self):
        """An engineering review is never assigned to the deal's own salesperson."""
        leads = self.env["crm.lead"].sudo().browse(set(self.mapped("res_id"))).exists()
        for activity in self:
            lead = leads.filtered(lambda lead, activity=activity: lead.id == activity.res_id)
            if lead.user_id and activity.user_id == lead.user_id:
                raise UserError(
                    self.env._(
                        "The engineering review of “%(deal)s” cannot be assigned to its own salesperson: "
                        "assign it to an application engineer.",
                        deal=lead.name,
                    )
                )
