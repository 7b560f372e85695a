"""One typed settings object, read from `VM_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, PositiveInt, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]

# Decoding prompts per detected language: they bias Whisper toward clinical words it otherwise
# mishears on phone audio ("chest pain" as "Jess Payne"). The drug names are among the most
# prescribed in the US. A prompt in the wrong language hurts, so each language gets its own, and
# Spanish gets none: on devset2's 28 Spanish train/dev voicemails through Whisper base, the callback
# number came out right on 9 with no prompt, 5 with a clinical Spanish prompt and 3 when it also listed
# the digit words, and urgency on 27, 26 and 24 (WER 0.511, 0.515, 0.480).
DEFAULT_PROMPTS = {
    "en": "Voicemail to a medical practice. Chest pain, shortness of breath, trouble breathing, stroke, slurred "
          "speech, bleeding, fever, rash, swelling, refill, prescription, pharmacy, appointment, test results, "
          "date of birth, callback number. Lisinopril, atorvastatin, levothyroxine, Synthroid, metformin, "
          "amlodipine, metoprolol, omeprazole, losartan, albuterol, gabapentin, hydrochlorothiazide, sertraline, "
          "insulin, Eliquis, warfarin, prednisone.",
}


class Settings(BaseSettings):
    """Every setting, read from `VM_*` environment variables (defaults: the local dev stack)."""
    model_config = SettingsConfigDict(env_prefix="VM_", extra="ignore")

    # Kafka
    kafka_bootstrap: str = "127.0.0.1:19092"  # host:port[,host:port...]: more than one for a cluster
    # Nodes `dev up` runs (one JVM each, ports kafka_port + 2i and + 2i + 1 for its controller). With 3 or
    # more, topics get replication 3 and min.insync.replicas 2, as in production.
    kafka_brokers: int = Field(default=1, ge=1, le=5)
    # Transport security: SASL_SSL with SCRAM for any shared cluster. The CA file verifies the brokers'
    # certificates (None = the system's trust store); hostnames are always checked.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"] = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = None
    # A worker that dies without leaving (kill -9, a lost node) holds its partitions this long.
    kafka_session_timeout_s: float = Field(default=30.0, ge=6, le=300)
    topic_partitions: int = Field(default=4, ge=1)
    topic_replication: int = Field(default=1, ge=1)
    # PHI travels on these topics: keep it short by default (3 days).
    topic_retention_ms: int = Field(default=3 * 24 * 3600 * 1000, ge=60_000)

    # S3-compatible object storage
    s3_endpoint: str = "http://127.0.0.1:19000"
    bucket: str = "voicemail"
    region: str = "us-east-1"
    aws_access_key_id: str = "local-identity"
    aws_secret_access_key: SecretStr = SecretStr("local-credential")
    s3_ca_bundle: Path | None = None  # CA for an https:// endpoint with a private CA (None = system trust)
    # Audio is PHI: `dev up` / `topics` put an expiry rule on the bucket (S3 lifecycle) for this many days.
    audio_retention_days: int = Field(default=7, ge=1)

    # Ingest
    reconcile_interval_s: float = Field(default=2.0, gt=0)
    ingest_prefix: str = ""
    ingest_suffixes: list[str] = []  # e.g. [".wav", ".mp3"] (JSON in the env); empty: every key
    s3_sse: Literal["AES256", "aws:kms"] | None = None  # server-side encryption `submit` requests
    state_dir: Path = REPO_ROOT / ".stack" / "state"

    # Transcription
    whisper_model: str = "base"  # "base" = the PyPI-shipped model; or a CTranslate2 model folder
    whisper_compute_type: Literal["int8", "int8_float32", "float32"] = "int8"
    whisper_cpu_threads: int = Field(default=2, ge=1)
    whisper_beam_size: int = Field(default=1, ge=1)
    # Beam size for a language where greedy decoding loses too much (JSON in the env; {} = none). Whisper
    # base on devset2's Spanish train/dev recordings: WER 0.510 greedy, 0.450 at beam 5, for 1.4x the
    # decoding time (README, Transcription); on English the beam buys little, so English stays greedy.
    whisper_language_beam_sizes: dict[str, PositiveInt] = {"es": 5}
    # None: detect per voicemail (from the encoding of the first 30 s of speech, which decoding reuses).
    # A practice whose callers all speak one language can fix it.
    whisper_language: str | None = None
    # The languages this practice's callers speak (JSON list in the env; [] = any). Whisper base often
    # ranks Latin or Italian just above Spanish on phone audio; the best of these wins when it is a
    # real candidate (see transcribe.core.choose_language), else the caller's own language is kept.
    whisper_languages: list[str] = ["en", "es"]
    whisper_prompts: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_PROMPTS))  # JSON in the env
    whisper_hotwords: str = ""  # extra words of this practice: drug names, doctors, local places
    review_min_language_probability: float = Field(default=0.7, ge=0, le=1)
    review_min_avg_logprob: float = Field(default=-0.8, le=0)
    max_audio_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    max_audio_seconds: float = Field(default=300.0, gt=0)
    transcribe_concurrency: int = Field(default=1, ge=1)
    # Measuring the Kafka part alone (`bench kafka`, the cluster chaos tests): a JSONL file of transcripts
    # by audio sha256 that replaces Whisper (transcribe/recorded.py). Never set in production.
    recorded_transcripts: Path | None = None
    model_cache: Path = REPO_ROOT / ".stack" / "models"

    # Routing: None = the packaged default policy (pipeline/route/default_policy.yaml)
    routing_policy: Path | None = None
    # SLA monitor: check every N s; escalate once at the deadline, then again every M s, up to K levels
    sla_check_interval_s: float = Field(default=30.0, gt=0)
    sla_escalate_every_s: float = Field(default=900.0, gt=0)
    sla_max_level: int = Field(default=3, ge=1)

    # Audit: a voicemail with no progress re-published after the grace when a later message of its
    # partition moved on (it was skipped), after `redrive_after` in any case; dead-lettered after K tries.
    audit_check_interval_s: float = Field(default=10.0, gt=0)
    audit_grace_s: float = Field(default=15.0, ge=0)
    audit_redrive_after_s: float = Field(default=900.0, gt=0)
    audit_max_redrives: int = Field(default=3, ge=0)

    # Local dev stack
    stack_dir: Path = REPO_ROOT / ".stack"
    jar_cache: Path = REPO_ROOT / ".stack" / "jars"

    # Each worker serves /metrics, /healthz and /readyz here; `worker` with several stages uses
    # consecutive ports (stage order). 0 = off.
    http_port: int = Field(default=9400, ge=0, le=65535)

    # Callback console (`python -m pipeline console`): HTTPS when a certificate and key are set.
    console_host: str = "127.0.0.1"
    console_port: int = Field(default=8088, ge=1, le=65535)
    console_tls_cert: Path | None = None
    console_tls_key: Path | None = None
    console_users: Path = REPO_ROOT / ".stack" / "console" / "users.json"
    console_session_minutes: float = Field(default=480.0, gt=0)  # a shift

    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Settings:
        has_login = bool(self.kafka_sasl_username and self.kafka_sasl_password)
        if self.kafka_security_protocol.startswith("SASL") and not has_login:
            raise ValueError("VM_KAFKA_SECURITY_PROTOCOL=SASL_* needs VM_KAFKA_SASL_USERNAME and "
                             "VM_KAFKA_SASL_PASSWORD")
        return self

    def sasl_password(self) -> str:
        """The SASL password in clear, for the client that needs it (the validator ensures it is set for SASL_*)."""
        return self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else ""

    @property
    def kafka_port(self) -> int:
        """The port of the first bootstrap broker."""
        return int(self.kafka_bootstrap.split(",")[0].strip().rsplit(":", 1)[1])

    @property
    def s3_port(self) -> int:
        """The S3 endpoint's port, which must be explicit."""
        port = urlparse(self.s3_endpoint).port
        if port is None:
            raise ValueError(f"VM_S3_ENDPOINT needs an explicit port: {self.s3_endpoint}")
        return port


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment as it is now."""
    return Settings()
