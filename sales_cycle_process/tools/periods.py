"""Period tools: weeks, months, quarters and the user's local time, in one place.

Pure functions on dates; the only state they read is an ``env`` argument, for the timezone. Periods are
calendar periods of the user's local time: a week starts on Monday, a month on its first day, a quarter on
the first of January, April, July or October. Odoo stores datetimes as naive UTC: ``local_to_utc`` and
``day_start_utc`` turn a local moment or day into the bound to compare them with.
"""

from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import ValidationError

# Dates a commit, forecast or target may be for.
SANE_YEARS = (2000, 2100)


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day):
    """The last day of ``day``'s month."""
    return month_start(day) + relativedelta(months=1, days=-1)


def quarter_start(day):
    """The first day of ``day``'s quarter."""
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_end(day):
    """The last day of ``day``'s quarter."""
    return quarter_start(day) + relativedelta(months=3, days=-1)


def add_months(day, months):
    """``day`` moved by ``months`` months (negative: back), the day clipped to the month's length."""
    return day + relativedelta(months=months)


def months_ahead(first, count):
    """``count`` dates a month apart from ``first`` on, ``first`` included (the first days of ``count``
    months when ``first`` is a first day)."""
    return [add_months(first, i) for i in range(count)]


def months_last_day(first, count):
    """The day before ``count`` months after ``first``: the last day of ``count`` months from the first
    day ``first``."""
    return add_months(first, count) - timedelta(days=1)


def local_timezone(env):
    """The timezone deadlines and periods are meant in: the user's, else the company's, else UTC."""
    name = env.context.get("tz") or env.user.tz or env.company.partner_id.tz
    return pytz.timezone(name) if name in pytz.all_timezones_set else pytz.utc


def local_to_utc(env, moment):
    """A naive local datetime as the naive UTC datetime Odoo stores."""
    return local_timezone(env).localize(moment).astimezone(pytz.utc).replace(tzinfo=None)


def local_date(env, moment):
    """The user's local calendar day of a naive UTC datetime (as ``fields.Datetime.now()`` gives)."""
    return local_timezone(env).fromutc(moment).date()


def day_start_utc(env, day):
    """The UTC instant a local calendar day starts: the bound for Datetime fields of that day."""
    return local_to_utc(env, datetime.combine(day, time.min))


def local_hour_utc(env, day, hour):
    """The UTC instant of ``hour`` (0-23, a fraction for the minutes) local time on ``day``, returned
    like ``fields.Datetime.now()`` (e.g. a week's commit deadline: its Monday at the deadline hour)."""
    hours, minutes = int(hour), min(59, round((hour % 1) * 60))
    return local_to_utc(env, datetime.combine(day, time(hours, minutes)))


def sane_date(env, value, what):
    """``value`` as a date within SANE_YEARS, else a ValidationError naming ``what``."""
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError):
        day = None
    if not day or not SANE_YEARS[0] <= day.year <= SANE_YEARS[1]:
        raise ValidationError(
            env._(
                "%(what)s must be a date between the years %(first)s and %(last)s, not %(value)s.",
                what=what,
                first=SANE_YEARS[0],
                last=SANE_YEARS[1],
                value=value,
            )
        )
    return day
