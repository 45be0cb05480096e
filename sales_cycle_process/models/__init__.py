# shared by the parts: activity planning (and completion dispatched to the parts), company amounts
from . import mail_activity
from . import sale_order_company_amount
from . import crm_stage
from . import crm_lead_stage_ladder
from . import crm_stage_exit_criterion
from . import crm_lead_criterion_check
from . import crm_lead_buying_influence
from . import crm_team_ladder
from . import res_company_ladder
from . import res_config_settings_ladder
from . import (
    corrective_action,
    product_template_aftersales,
    res_company_after_sales,
    res_config_settings_aftersales,
    res_partner_aftersales,
    sale_order_after_sales,
)
from . import crm_lead_commit
from . import scp_snapshot_mixin
from . import sales_target
from . import sales_commit
from . import sales_forecast
from . import forecast_measures
from . import forecast_reminder
from . import res_company_forecast
from . import res_config_settings_forecast
from . import forecast_analysis
from . import res_partner_cadence
from . import visit_cadence
from . import visit_report_cadence
from . import crm_lead_cadence
from . import res_company_qpa
from . import res_config_settings_qpa
from . import sale_order_qpa_rules
from . import sale_order_qpa_approval
from . import sale_order_qpa_paths
from . import crm_lead_qpa
from . import tier_review_qpa
from . import qpa_log
