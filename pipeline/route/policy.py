"""Routing policy (YAML, validated on load) and due-by computation."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

DEFAULT_POLICY = Path(__file__).with_name("default_policy.yaml")
Urgency = Literal["emergency", "urgent", "routine", "informational"]
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DURATION = re.compile(r"^(\d+)(m|h|d)$")


class PolicyError(ValueError):
    pass


class BusinessHours(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    open: time
    close: time


class Role(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str
    display: str


class RoutingPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timezone: str
    business_hours: BusinessHours
    targets: dict[Urgency, str]
    priority: dict[Urgency, Literal["routine", "urgent", "asap", "stat"]]
    roles: dict[Literal["clinician", "nurse", "front_desk", "billing"], Role]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v

    @field_validator("targets")
    @classmethod
    def _targets(cls, v: dict[str, str]) -> dict[str, str]:
        missing = {"emergency", "urgent", "routine", "informational"} - v.keys()
        if missing:
            raise ValueError(f"missing targets for {sorted(missing)}")
        for urgency, target in v.items():
            if target != "next_business_day" and not _DURATION.match(target):
                raise ValueError(f"{urgency}: {target!r} is not like 15m, 1h, 2d or next_business_day")
        return v

    def due_by(self, urgency: str, received_at: datetime) -> datetime:
        target = self.targets[urgency]
        if target == "next_business_day":
            return self._next_business_close(received_at)
        amount, unit = _DURATION.match(target).groups()
        return received_at + timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: int(amount)})

    def _next_business_close(self, received_at: datetime) -> datetime:
        tz = ZoneInfo(self.timezone)
        local = received_at.astimezone(tz)
        day = local.date() + timedelta(days=1)
        while _DAYS[day.weekday()] not in self.business_hours.days:
            day += timedelta(days=1)
        return datetime.combine(day, self.business_hours.close, tzinfo=tz)


def load_policy(path: Path | None = None) -> RoutingPolicy:
    path = path or DEFAULT_POLICY
    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"routing policy {path}: {exc}") from None
    try:
        return RoutingPolicy.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise PolicyError(f"routing policy {path}: {problems}") from None
