"""Topic names: the one place they are spelled."""

S3_EVENTS = "voicemail.s3-events"  # bucket notifications (AWS S3 / MinIO JSON)
INGEST = "voicemail.ingest"  # candidates from every ingest path, deduplicated into voicemail.received
RECEIVED = "voicemail.received"
TRANSCRIBED = "voicemail.transcribed"
TRIAGED = "voicemail.triaged"
DLQ = "voicemail.dlq"
ALERTS = "alerts.emergency"
TASK_STATUS = "tasks.status"
ESCALATED = "tasks.escalated"
ROLES = ("clinician", "nurse", "front_desk", "billing")
STAGES = ("ingest", "transcribe", "classify", "route", "sla", "audit")  # each its own consumer group voicemail-<stage>


def task_topic(role: str) -> str:
    return f"tasks.{role}"


# Changelogs of the stages' dedupe tables ("<faust app id>-<table>-changelog"). Provisioned with the
# other topics: if faust creates them itself at start, a table can see 0 partitions and its agent crash.
CHANGELOGS = ("voicemail-ingest-passed-changelog", "voicemail-transcribe-transcribed-changelog",
              "voicemail-route-emitted-changelog", "voicemail-sla-sla-changelog",
              "voicemail-audit-audit-changelog")

ALL = (S3_EVENTS, INGEST, RECEIVED, TRANSCRIBED, TRIAGED, DLQ, ALERTS, TASK_STATUS, ESCALATED,
       *(task_topic(r) for r in ROLES))
