"""Topic and role names: the one place they are spelled."""

from typing import Literal, get_args

# The callback roles: one task topic each, named in the routing policy.
RoleName = Literal["clinician", "nurse", "front_desk", "billing"]
ROLES: tuple[str, ...] = get_args(RoleName)

S3_EVENTS = "voicemail.s3-events"  # bucket notifications (AWS S3 / MinIO JSON)
INGEST = "voicemail.ingest"  # candidates from every ingest path, deduplicated into voicemail.received
RECEIVED = "voicemail.received"
TRANSCRIBED = "voicemail.transcribed"
TRIAGED = "voicemail.triaged"
DLQ = "voicemail.dlq"
ALERTS = "alerts.emergency"
TASK_STATUS = "tasks.status"
ESCALATED = "tasks.escalated"
CONSOLE_AUDIT = "console.audit"  # who viewed or acted on which task in the callback console, and when
STAGES = ("ingest", "transcribe", "classify", "route", "sla", "audit")  # each its own consumer group voicemail-<stage>


TASKS_PREFIX = "tasks."
TASKS_PATTERN = TASKS_PREFIX + "*"  # the role topics with tasks.status and tasks.escalated (the SLA monitor's input)
VOICEMAIL_PATTERN = "voicemail.*"  # every voicemail.* topic (the audit's input)


def task_topic(role: str) -> str:
    """The Kafka topic of one role's callback tasks."""
    return TASKS_PREFIX + role


def role_of(topic: str) -> str:
    """The role whose task topic this is."""
    return topic.removeprefix(TASKS_PREFIX)


# Each stage's state tables (string -> JSON string). Their changelogs ("<faust app id>-<table>-changelog")
# are provisioned with the other topics: if faust creates them itself at start, a table can see 0
# partitions and its agent crash. A stage opens only the tables named here (`StageShell.table`).
TABLES = {"ingest": ("passed",), "transcribe": ("transcribed",), "route": ("emitted",),
          "sla": ("sla", "sla-closed"), "audit": ("audit", "audit-ended", "audit-progress")}
CHANGELOGS = tuple(f"voicemail-{stage}-{table}-changelog" for stage, names in TABLES.items() for table in names)

# One-partition compacted topics: membership of the group on one elects the single active replica of a
# stage that must act alone (`stream/lease.py`), and its records are that replica's state (the
# reconciler's checkpoint per bucket).
LEASES = {"ingest": "lease.ingest", "audit": "lease.audit"}

ALL = (S3_EVENTS, INGEST, RECEIVED, TRANSCRIBED, TRIAGED, DLQ, ALERTS, TASK_STATUS, ESCALATED, CONSOLE_AUDIT,
       *(task_topic(r) for r in ROLES))
