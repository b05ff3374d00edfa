"""TIMEX3 values written out: durations ("P2Y6M"), time zones ("T09:30Z") and the
underspecified values of each granularity ("XXXX-WXX")."""
from __future__ import annotations

from typing import Any

# Underspecified values by granularity, for when there is no anchor.
UNKNOWN_VALUES = {
    "minute": "XXXX-XX-XXTXX:XX", "hour": "XXXX-XX-XXTXX", "part_of_day": "XXXX-XX-XX",
    "day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
    "quarter": "XXXX-QX", "half": "XXXX-HX", "season": "XXXX", "year": "XXXX", "decade": "XXX",
    "century": "XX",
}


def unit_value(num: Any, unit: str) -> str | None:
    """A duration value: P2D, PT48H, P10Y for a decade, PXM for "months".

    Quarters keep their own unit (P2Q, PXQ), as TimeML keeps the unit the text counts in;
    only a fraction of one is counted in months, since P2.5Q is no value.
    """
    if unit == "2W":
        unit, num = "W", num * 2 if isinstance(num, (int, float)) else num
    if unit == "Q" and isinstance(num, float) and not num.is_integer():
        unit, num = "M", num * 3
    if unit in ("DE", "CE"):
        unit, num = "Y", num * (10 if unit == "DE" else 100) if isinstance(num, (int, float)) else num
    if unit == "S" and isinstance(num, float) and not num.is_integer():
        return f"PT{num:g}S"  # a race time, "9.58 seconds": TIMEX3 allows a decimal smallest unit
    if isinstance(num, float) and not num.is_integer():
        # "2 1/2 years" → P2Y6M: the fraction in the next smaller unit.
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("TM", 60), "TM": ("S", 60)}
        if unit not in smaller:
            return None
        whole = int(num)
        small_unit, factor = smaller[unit]
        rest = round((num - whole) * factor)
        parts = ([(whole, unit)] if whole else []) + [(rest, small_unit)]
        date_part = "".join(f"{n}{u}" for n, u in parts if u in ("Y", "M", "W", "D"))
        time_part = "".join(f"{n}{'M' if u == 'TM' else u}" for n, u in parts if u in ("H", "TM", "S"))
        return "P" + date_part + (f"T{time_part}" if time_part else "")
    if isinstance(num, float):
        num = int(num)
    amount = "X" if num == "X" else str(num)
    if unit in ("H", "TM", "S"):
        return f"PT{amount}{'M' if unit == 'TM' else unit}"
    return f"P{amount}{unit}"


def sum_value(values: list[str]) -> str:
    """Durations added up as one value: P2Y and P3M → P2Y3M, PT2H and PT30M → PT2H30M ("two years
    and three months", "dos horas y 30 minutos")."""
    dates, times = [], []
    for value in values:
        date_part, _, time_part = value[1:].partition("T")
        dates.append(date_part)
        times.append(time_part)
    time = "".join(times)
    return "P" + "".join(dates) + (f"T{time}" if time else "")


def zone_suffix(zone: Any) -> str:
    """A clock's time zone as ISO 8601 writes it after the time ("09:30 GMT" → "Z", EST → "-05",
    IST → "+05:30"); nothing for "local time" or no zone. The interval stays in local clock time."""
    if not isinstance(zone, str) or not zone:
        return ""
    if zone == "Z" or len(zone) == 3:
        return zone
    return f"{zone[:3]}:{zone[3:]}"
