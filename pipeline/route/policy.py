"""Routing policy (YAML, validated on load) and due-by computation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from pipeline.domain import Intent, Triage, Urgency
from pipeline.topics import ROLES, RoleName, task_topic

DEFAULT_POLICY = Path(__file__).with_name("default_policy.yaml")
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DURATION = re.compile(r"^(\d+)(m|h|d)$")


class PolicyError(ValueError):
    """The routing policy file is missing or invalid."""
    pass


class BusinessHours(BaseModel):
    """When the practice answers: days and local opening and closing times."""
    model_config = ConfigDict(extra="forbid")
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    open: time
    close: time


class Role(BaseModel):
    """A role's display name. Its task topic is always `tasks.<role>` (`topics.task_topic`): the topics
    job creates it and the SLA monitor, audit, stats and tail follow it; `topic` may only restate it."""
    model_config = ConfigDict(extra="forbid")
    display: str
    topic: str | None = None


class MailboxOverride(BaseModel):
    """What one site of a multi-site practice changes; anything left out comes from the practice."""

    model_config = ConfigDict(extra="forbid")
    timezone: str | None = None
    business_hours: BusinessHours | None = None
    targets: dict[Urgency, str] | None = None
    after_hours: dict[Urgency, RoleName] | None = None


@dataclass(frozen=True)
class Decision:
    """Where a task goes and by when, and the policy rules that decided it."""
    role: RoleName
    topic: str
    priority: str
    due_by: datetime
    after_hours: bool
    rules: list[str]  # which policy rules decided, for the Task's note and for audit


class RoutingPolicy(BaseModel):
    """The practice's routing policy (YAML): targets per urgency, hours, roles, mailbox overrides."""
    model_config = ConfigDict(extra="forbid")
    timezone: str
    business_hours: BusinessHours
    targets: dict[Urgency, str]
    # Urgencies whose target counts business time only (a routine call left at 16:30 is due next morning).
    business_clock: list[Urgency] = []
    priority: dict[Urgency, Literal["routine", "urgent", "asap", "stat"]]
    roles: dict[RoleName, Role]
    after_hours: dict[Urgency, RoleName] = {}  # who takes this urgency outside business hours
    intent_roles: dict[Intent, RoleName] = {}  # role by primary intent, for routine and informational only
    mailboxes: dict[str, MailboxOverride] = {}

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

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: dict[str, Role]) -> dict[str, Role]:
        missing = set(ROLES) - v.keys()
        if missing:
            raise ValueError(f"missing roles {sorted(missing)}")
        for name, role in v.items():
            if role.topic not in (None, task_topic(name)):
                raise ValueError(f"{name}: tasks go to {task_topic(name)}, the topic every follower reads; "
                                 f"{role.topic!r} would be created and followed by nothing")
        return v

    @model_validator(mode="after")
    def _mailboxes_valid(self) -> RoutingPolicy:
        for name in self.mailboxes:
            self.for_mailbox(name)  # each override must make a valid policy on its own
        return self

    def for_mailbox(self, mailbox: str | None) -> RoutingPolicy:
        """The policy with the mailbox's overrides applied."""
        override = self.mailboxes.get(mailbox or "")
        if override is None:
            return self
        changes = override.model_dump(exclude_none=True)
        if "targets" in changes:
            changes["targets"] = {**self.targets, **changes["targets"]}
        merged = {**self.model_dump(), **changes, "mailboxes": {}}
        return RoutingPolicy.model_validate(merged)

    def decide(self, triage: Triage, mailbox: str | None, received_at: datetime) -> Decision:
        """Role, topic, priority and deadline for a triage left in `mailbox` at `received_at`."""
        policy = self.for_mailbox(mailbox)
        rules = [f"mailbox:{mailbox}"] if mailbox in self.mailboxes else []
        urgency, role, primary = triage.urgency, triage.role, triage.intents[0]
        if urgency in ("routine", "informational") and primary in policy.intent_roles:
            role = policy.intent_roles[primary]
            rules.append(f"intent_role:{primary}")
        after_hours = not policy.is_open(received_at)
        if after_hours and urgency in policy.after_hours:
            role = policy.after_hours[urgency]
            rules.append(f"after_hours:{urgency}")
        return Decision(role, task_topic(role), policy.priority[urgency],
                        policy.due_by(urgency, received_at), after_hours, rules)

    def due_by(self, urgency: Urgency, received_at: datetime) -> datetime:
        """The callback deadline for an urgency, counting business time where the policy says so."""
        target = self.targets[urgency]
        if target == "next_business_day":
            return self._next_business_close(received_at)
        duration = _DURATION.match(target)
        if duration is None:  # the model's validator accepts only these two forms
            raise ValueError(f"unreadable target {target!r} for {urgency}")
        amount, unit = duration.groups()
        delta = timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: int(amount)})
        if urgency in self.business_clock:
            return self._add_business_time(received_at, delta)
        return received_at + delta

    def is_open(self, at: datetime) -> bool:
        """Whether the practice is open at that moment."""
        local = at.astimezone(ZoneInfo(self.timezone))
        hours = self.business_hours
        return _DAYS[local.weekday()] in hours.days and hours.open <= local.time() < hours.close

    def _add_business_time(self, start: datetime, delta: timedelta) -> datetime:
        tz = ZoneInfo(self.timezone)
        local = start.astimezone(tz)
        for _ in range(366):
            day_open = datetime.combine(local.date(), self.business_hours.open, tzinfo=tz)
            day_close = datetime.combine(local.date(), self.business_hours.close, tzinfo=tz)
            if _DAYS[local.weekday()] in self.business_hours.days and local < day_close:
                local = max(local, day_open)
                if local + delta <= day_close:
                    return local + delta
                delta -= day_close - local
            local = datetime.combine(local.date() + timedelta(days=1), self.business_hours.open, tzinfo=tz)
        raise PolicyError("business hours never open")

    def _next_business_close(self, received_at: datetime) -> datetime:
        tz = ZoneInfo(self.timezone)
        local = received_at.astimezone(tz)
        day = local.date() + timedelta(days=1)
        while _DAYS[day.weekday()] not in self.business_hours.days:
            day += timedelta(days=1)
        return datetime.combine(day, self.business_hours.close, tzinfo=tz)


def load_policy(path: Path | None = None) -> RoutingPolicy:
    """The routing policy at `path` (default: the shipped one); PolicyError when invalid."""
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
