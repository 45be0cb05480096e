"""The playbook in the deck's own language: zh_CN loaded into the database, read back from the screens,
the e-mails, the welcome letter and the XLSX packs; and a zh_CN.po that translates every term of the .pot."""

import io
import re
from collections import Counter

import openpyxl
import polib

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.misc import file_path

I18N = "sales_cycle_process/i18n/"

# The deck's vocabulary (docs/glossary.md): the English term of the .pot and its Chinese in zh_CN.po.
GLOSSARY = {
    "Lead intake": "导入期",
    "Pipeline": "通路",
    "Commit": "承诺",
    "Upside": "UPSIDE",
    "Stretched Target": "调高后的目标",
    "Linearity %": "线性 %",
    "Weekly Commit": "周度承诺",
    "Monthly Forecast Tracking Pack": "月度预测跟踪总结报告包",
    "Quote Price Approval (QPA)": "报价审批(QPA)",
    "Welcome Letter": "欢迎信",
    "Satisfaction Call": "满意度回访电话",
    "Corrective Action": "纠正措施",
    "Visit Report": "拜访报告",
    "Unfulfilled Orders": "未实现订单",
    "Monthly Action Plan": "每月行动计划",
    "Account Manager": "客户经理",
    "Regional Manager": "大区经理",
    "Opportunity": "商机",
    "Sales Team": "销售团队",
    "Quotation": "报价单",
}

# What a translation must keep from its msgid: printf placeholders (%(name)s, %s, %.2f, %%), QWeb
# expressions ({{ }}, ${ }) and tags (without the attributes that are text for the reader).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdfr%]|\{\{.*?\}\}|\$\{.*?\}")
TAG = re.compile(r"<[^<>]+>")
TEXT_ATTRS = re.compile(r'\s(?:title|aria-label|alt|placeholder|string|help)="[^"]*"')


def _tokens(text):
    return Counter(PLACEHOLDER.findall(text)) + Counter(TEXT_ATTRS.sub("", tag) for tag in TAG.findall(text))


@tagged("post_install", "-at_install")
class TestI18nZhCnFile(TransactionCase):
    """zh_CN.po against the .pot the lead regenerates: nothing left untranslated, no placeholder lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(file_path(I18N + "sales_cycle_process.pot"))
        cls.po = polib.pofile(file_path(I18N + "zh_CN.po"))
        cls.translations = {entry.msgid: entry for entry in cls.po}

    def test_every_pot_term_is_translated(self):
        self.assertEqual(self.po.metadata["Language"], "zh_CN")
        missing = [
            entry.msgid
            for entry in self.pot
            if entry.msgid not in self.translations
            or not self.translations[entry.msgid].msgstr.strip()
            or "fuzzy" in self.translations[entry.msgid].flags
        ]
        self.assertGreater(len(self.pot), 1000)
        self.assertFalse(
            missing,
            f"{len(missing)} terms of the .pot have no zh_CN translation: run scripts/zh_cn_fill.py "
            f"--todo todo.tsv, translate them, then scripts/zh_cn_fill.py --apply todo.tsv. First ones: "
            f"{missing[:10]}",
        )

    def test_translations_keep_their_placeholders(self):
        wrong = [
            entry.msgid for entry in self.po if entry.msgstr and _tokens(entry.msgid) != _tokens(entry.msgstr)
        ]
        self.assertFalse(wrong, f"These zh_CN translations lost or added a placeholder or a tag: {wrong}")
        # the checker does see a lost placeholder or tag
        self.assertNotEqual(
            _tokens("%(user)s at 90 %% <t t-out='a'/>"), _tokens("%(name)s 90 % <t t-out='b'/>")
        )

    def test_the_deck_vocabulary_is_used(self):
        for english, chinese in GLOSSARY.items():
            with self.subTest(term=english):
                self.assertEqual(self.translations[english].msgstr, chinese)
        # the same concept keeps the deck's word wherever it shows
        self.assertEqual(self.translations["Commit + Upside (week)"].msgstr, "承诺 + UPSIDE(周)")
        self.assertEqual(self.translations["Stretched Target (month)"].msgstr, "调高后的目标(月)")
        self.assertEqual(self.translations["Pipeline Growth %"].msgstr, "通路增长 %")


@tagged("post_install", "-at_install")
class TestI18nZhCnLoaded(TransactionCase):
    """zh_CN loaded into the database as a Chinese company would: what its users and customers read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_cycle_process"], ["zh_CN"], overwrite=True)
        cls.manager = new_test_user(
            cls.env, "zh_manager", groups="sales_team.group_sale_manager", lang="zh_CN", tz="Asia/Shanghai"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "上海测试有限公司", "email": "buyer@sh.example.com", "lang": "zh_CN", "is_company": True}
        )
        cls.product = cls.env["product.product"].create({"name": "Analyzer X200", "list_price": 1000})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.manager.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})],
            }
        )

    def test_field_labels_and_view_strings(self):
        Commit = self.env["scp.sales.commit"].with_context(lang="zh_CN")
        labels = Commit.fields_get(["week_start", "commit_week", "upside_week"], ["string"])
        self.assertEqual(labels["week_start"]["string"], "承诺周")
        self.assertEqual(labels["commit_week"]["string"], "承诺(周)")
        self.assertEqual(labels["upside_week"]["string"], "UPSIDE(周)")
        # the deal's form, as a Chinese sales manager opens it
        arch = (
            self.env["crm.lead"]
            .with_user(self.manager)
            .with_context(lang="zh_CN")
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('string="承诺清单"', arch)
        self.assertIn('string="特批清单"', arch)
        self.assertNotIn('string="Override Checklist"', arch)
        # English stays English
        arch_en = (
            self.env["crm.lead"].with_user(self.manager).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('string="Override Checklist"', arch_en)

    def test_stage_ladder_names(self):
        ladder = {
            "crm.stage_lead1": "导入期",
            "crm.stage_lead2": "与客户会面",
            "sales_cycle_process.stage_ladder_purchase_intent": "有购买意向",
            "crm.stage_lead3": "完成最终销售方案",
            "sales_cycle_process.stage_ladder_proposal_accepted": "方案被认可",
            "sales_cycle_process.stage_ladder_chosen": "客户作出选择",
            "sales_cycle_process.stage_ladder_negotiated": "完成商务谈判",
            "crm.stage_lead4": "收到订单",
        }
        for xmlid, name in ladder.items():
            with self.subTest(stage=xmlid):
                stage = self.env.ref(xmlid)
                self.assertEqual(stage.with_context(lang="zh_CN").name, name)
        self.assertEqual(self.env.ref("crm.stage_lead1").with_context(lang="en_US").name, "Lead intake")
        self.assertIn(
            "有足够的理由和事件表明客户方的购买意向",
            self.env.ref("sales_cycle_process.stage_ladder_purchase_intent")
            .with_context(lang="zh_CN")
            .definition,
        )

    def test_reused_odoo_stages_take_the_deck_names_over_crms(self):
        """A company that had Chinese before installing the addon: Odoo's default stages carry crm's Chinese
        names (新...). The addon's install (data/i18n_data.xml) and its 18.0.4.0.0 migration forget them, so
        the translations loaded next give the deck's names; a stage the company renamed keeps its own."""
        lead1, lead3 = self.env.ref("crm.stage_lead1"), self.env.ref("crm.stage_lead3")
        lead1.with_context(lang="zh_CN").name = "新"
        lead3.with_context(lang="en_US").name = "Tender"
        lead3.with_context(lang="zh_CN").name = "招标"
        Module = self.env["ir.module.module"]
        # crm's record is noupdate: loading the addon's terms alone, even overwriting, keeps crm's name
        Module._load_module_terms(["sales_cycle_process"], ["zh_CN"], overwrite=True)
        self.assertEqual(lead1.with_context(lang="zh_CN").name, "新")
        self.env["crm.stage"]._i18n_reset_ladder_stage_translations()
        Module._load_module_terms(["sales_cycle_process"], ["zh_CN"])
        self.assertEqual(lead1.with_context(lang="zh_CN").name, "导入期")
        self.assertEqual(lead1.with_context(lang="en_US").name, "Lead intake")
        self.assertIn("线索已从销售流程手册的某个渠道进入", lead1.with_context(lang="zh_CN").definition)
        self.assertEqual(lead3.with_context(lang="zh_CN").name, "招标")
        self.assertEqual(lead3.with_context(lang="en_US").name, "Tender")

    def test_mail_template_in_the_partners_language(self):
        template = self.env.ref("sales_cycle_process.mail_template_after_sales_acknowledgment")
        values = template._generate_template(self.order.ids, ("subject", "body_html"))[self.order.id]
        self.assertEqual(
            values["subject"], f"{self.order.company_id.name}:我们确认已收到您的订单 {self.order.name}"
        )
        self.assertIn("尊敬的 上海测试有限公司", values["body_html"])
        self.assertIn("感谢您的信任。", values["body_html"])
        self.assertNotIn("Thank you", values["body_html"])
        # an English-speaking partner still gets English
        self.customer.lang = "en_US"
        values = template._generate_template(self.order.ids, ("subject", "body_html"))[self.order.id]
        self.assertIn("we acknowledge your order", values["subject"])

    def test_welcome_letter_in_the_customers_language(self):
        self.order.action_confirm()
        report = self.env.ref("sales_cycle_process.action_report_welcome_letter")
        html = report._render_qweb_html(report.report_name, self.order.ids)[0].decode()
        self.assertIn("欢迎选择", html)
        self.assertIn("感谢您的订单", html)
        self.assertIn("联系方式", html)
        self.assertIn("此致敬礼,", html)
        self.assertNotIn("Welcome to", html)

    def test_weekly_commit_pack_headers(self):
        pack = self.env["report.sales_cycle_process.commit_pack_xlsx"].with_context(lang="zh_CN")
        content, kind = pack.create_xlsx_report([], {})
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        # after the cover sheet
        self.assertEqual(book.sheetnames[1], "承诺")
        sheet = book["承诺"]
        self.assertEqual(
            [sheet.cell(1, col).value for col in range(1, 6)],
            ["周", "销售人员", "团队", "承诺(周)", "UPSIDE(周)"],
        )
