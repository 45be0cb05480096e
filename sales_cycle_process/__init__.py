from . import controllers, models, reports, wizards
from .hooks import uninstall_hook
