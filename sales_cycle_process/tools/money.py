"""Money: amounts as the addon checks and converts them."""

import math

from odoo.exceptions import ValidationError


def sane_amount(env, value, what):
    """``value`` as a finite number, else a ValidationError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(env._("%(what)s must be a number, not %(value)s.", what=what, value=value))
    return float(value)
