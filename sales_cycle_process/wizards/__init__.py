from . import scp_snapshot_wizard_mixin
from . import scp_probability_override_wizard
from . import scp_stage_force_wizard
from . import scp_commit_wizard
from . import scp_forecast_wizard
from . import scp_ladder_settings_wizard
from . import comment_wizard_qpa
from . import sale_order_discount_qpa
