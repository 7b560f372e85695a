"""Topic names: the one place they are spelled."""

S3_EVENTS = "voicemail.s3-events"  # bucket notifications (AWS S3 / MinIO JSON)
RECEIVED = "voicemail.received"
TRANSCRIBED = "voicemail.transcribed"
TRIAGED = "voicemail.triaged"
DLQ = "voicemail.dlq"
ALERTS = "alerts.emergency"
TASK_STATUS = "tasks.status"
ESCALATED = "tasks.escalated"
ROLES = ("clinician", "nurse", "front_desk", "billing")


def task_topic(role: str) -> str:
    return f"tasks.{role}"


ALL = (S3_EVENTS, RECEIVED, TRANSCRIBED, TRIAGED, DLQ, ALERTS, TASK_STATUS, ESCALATED, *(task_topic(r) for r in ROLES))
