"""Business time: calendars of working hours and holidays, and the SLA timers that run on them."""

from service_recovery._time.calendar import (
    AROUND_THE_CLOCK,
    BusinessCalendar,
    Weekday,
    WorkingHours,
)
from service_recovery._time.timer import Pause, PauseClock, SlaStatus, SlaTimer

__all__ = [
    "AROUND_THE_CLOCK",
    "BusinessCalendar",
    "Pause",
    "PauseClock",
    "SlaStatus",
    "SlaTimer",
    "Weekday",
    "WorkingHours",
]
