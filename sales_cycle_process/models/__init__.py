# shared by the parts: activity planning (and completion dispatched to the parts), company amounts
from . import mail_activity
from . import sale_order_company_amount
from . import crm_stage_ladder
from . import crm_lead_server_fields
from . import crm_lead_ladder
from . import scp_stage_criterion
from . import scp_lead_criterion_check
from . import scp_buying_influence
from . import crm_team_ladder
from . import res_company_ladder
from . import res_config_settings_ladder
from . import (
    scp_corrective_action,
    product_template_after_sales,
    res_company_after_sales,
    res_config_settings_after_sales,
    res_partner_after_sales,
    sale_order_after_sales,
)
from . import crm_lead_history
from . import crm_lead_commit
from . import scp_snapshot_mixin
from . import scp_sales_target
from . import scp_sales_commit
from . import scp_sales_forecast
from . import scp_forecast_measures
from . import scp_forecast_reminder
from . import res_company_forecast
from . import res_config_settings_forecast
from . import scp_forecast_analysis
from . import res_partner_cadence
from . import scp_cadence_rule
from . import scp_visit_report
from . import crm_lead_cadence
from . import res_company_qpa
from . import res_config_settings_qpa
from . import sale_order_qpa_rules
from . import sale_order_qpa_approval
from . import sale_order_qpa_paths
from . import crm_lead_qpa
from . import tier_review_qpa
from . import scp_qpa_log
from . import scp_action_plan
from . import scp_sales_region
from . import crm_team_forecast
from . import scp_forecast_adjustment
from . import scp_forecast_hierarchy
from . import crm_stage_i18n
from . import res_company_forecast_bias
from . import res_config_settings_forecast_bias
from . import scp_forecast_bias
from . import crm_stage_health
from . import crm_lead_health
from . import res_company_health
from . import res_config_settings_health
from . import scp_health_digest
from . import crm_lead_calibration
from . import scp_ladder_calibration

# flowchart: customer responses, AE calls and visits, proposal and quote (issue #18, items 1-3)
from . import res_company_respond
from . import res_config_settings_respond
from . import crm_lead_respond
from . import sale_order_respond

# every flowchart step (issue #18): corrective actions that escalate, seller classes
from . import res_company_escalation
from . import res_config_settings_escalation
from . import scp_seller_class
from . import res_company_seller_class
from . import res_config_settings_seller_class
from . import res_company_followup
from . import res_config_settings_followup
from . import sale_order_quote_followup
from . import crm_lead_quote_followup
from . import scp_visit_prep_item
from . import scp_visit_report_prep
from . import sale_order_order_received
