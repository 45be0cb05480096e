from . import welcome_letter
from . import xlsx_report_mixin
from . import commit_pack_xlsx
from . import forecast_pack_xlsx
from . import cadence_compliance_xlsx
from . import qpa_log_xlsx
from . import ladder_calibration_xlsx
