from . import crm_stage
from . import crm_lead_stage_ladder
