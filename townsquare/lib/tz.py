"""Time zones: the viewer's zone for rendering, and zones inside a UTC-offset window."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Zones people pick from: the canonical IANA names (no "Etc/GMT+3" style, no legacy aliases).
COMMON_ZONES: tuple[str, ...] = tuple(
    sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    + ["UTC"]
)


@functools.cache
def _available_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (~20 ms): once per process.
    return frozenset(zoneinfo.available_timezones())


def is_valid_zone(name: str) -> bool:
    return name in _available_zones()


def utc_offset_hours(zone: str, at: datetime | None = None) -> float:
    """The zone's offset from UTC at `at` (now by default), in hours; DST included."""
    moment = at or datetime.now(UTC)
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


@functools.lru_cache(maxsize=64)
def _zones_in_window(low: float, high: float, hour_bucket: int) -> frozenset[str]:
    at = datetime.fromtimestamp(hour_bucket * 3600, tz=UTC)
    return frozenset(z for z in COMMON_ZONES if low <= utc_offset_hours(z, at) <= high)


def zones_in_window(low: float, high: float, at: datetime | None = None) -> frozenset[str]:
    """IANA zones whose offset lies in [low, high] hours right now (cached per hour)."""
    moment = at or datetime.now(UTC)
    return _zones_in_window(low, high, int(moment.timestamp() // 3600))


class ViewerTimezoneMiddleware:
    """Activates the signed-in viewer's own zone so every rendered time is in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if zone and is_valid_zone(zone):
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
