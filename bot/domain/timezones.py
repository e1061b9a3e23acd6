"""Indonesia's three time zones, as an office names its own in the organisation file."""

from __future__ import annotations

from zoneinfo import ZoneInfo

# The label an office writes (and every time shown carries), and the zone it means.
ZONES: dict[str, str] = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def zone_label(value: str) -> str:
    """Read WIB / WITA / WIT (any case, or the zone's name); raise ValueError otherwise."""
    cleaned = value.strip()
    if cleaned.upper() in ZONES:
        return cleaned.upper()
    for label, name in ZONES.items():
        if cleaned == name:
            return label
    raise ValueError(f"time zone {value!r}: write WIB, WITA or WIT")


def office_zone(label: str | None, default: ZoneInfo) -> ZoneInfo:
    """The zone of an office's ``label`` (None: the deployment's ``default``)."""
    return ZoneInfo(ZONES[label]) if label in ZONES else default
