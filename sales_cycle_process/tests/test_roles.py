from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRoles(TransactionCase):
    """The playbook's roles sit on top of Odoo's Sales rights."""

    def test_roles_grant_the_sales_rights_they_need(self):
        admin = new_test_user(self.env, "scp_admin", groups="sales_cycle_process.group_sales_admin")
        engineer = new_test_user(
            self.env, "scp_engineer", groups="sales_cycle_process.group_application_engineer"
        )
        director = new_test_user(self.env, "scp_md", groups="sales_cycle_process.group_managing_director")
        for user in (admin, engineer):
            self.assertTrue(user.has_group("sales_team.group_sale_salesman_all_leads"))
            self.assertFalse(user.has_group("sales_team.group_sale_manager"))
        self.assertTrue(director.has_group("sales_team.group_sale_manager"))

    def test_stock_crm_still_works_for_a_plain_salesperson(self):
        user = new_test_user(self.env, "scp_plain", groups="sales_team.group_sale_salesman")
        lead = (
            self.env["crm.lead"]
            .with_user(user)
            .create({"name": "Plain deal", "type": "opportunity", "expected_revenue": 1000})
        )
        stages = self.env["crm.stage"].search([])
        lead.stage_id = stages[-1]
        self.assertEqual(lead.stage_id, stages[-1])
        self.assertEqual(lead.user_id, user)
