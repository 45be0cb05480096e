from . import crm_lead_probability_override_wizard
from . import crm_lead_stage_force_wizard
from . import commit_wizard
from . import forecast_wizard
from . import forecast_consolidation
from . import ladder_settings_wizard
from . import comment_wizard_qpa
from . import sale_order_discount_qpa
