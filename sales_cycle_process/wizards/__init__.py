from . import commit_wizard
from . import forecast_wizard
from . import forecast_consolidation
