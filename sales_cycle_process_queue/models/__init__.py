from . import ir_actions_report
from . import res_company
from . import res_config_settings
from . import scp_cadence_rule
