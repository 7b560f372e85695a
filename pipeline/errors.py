"""Errors with a stable reason code: what the DLQ records and ops alert on.

Messages must stay free of PHI: they name what was wrong, never the content.
"""


class Rejected(Exception):
    """An input the pipeline will not process as it is (retrying will not help)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
