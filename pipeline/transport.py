"""Connection security for every Kafka client, from settings, so that no client is left on plaintext."""

from __future__ import annotations

import ssl
from typing import Any

from pipeline.config import Settings


def ssl_context(s: Settings) -> ssl.SSLContext | None:
    """The TLS context for Kafka when the security protocol uses SSL, else None."""
    if not s.kafka_security_protocol.endswith("SSL"):
        return None
    ctx = ssl.create_default_context(cafile=str(s.kafka_ssl_cafile) if s.kafka_ssl_cafile else None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def kafka_kwargs(s: Settings) -> dict[str, Any]:
    """Keyword arguments for kafka-python's producer, consumer and admin client."""
    kw: dict[str, Any] = {"bootstrap_servers": s.kafka_bootstrap, "security_protocol": s.kafka_security_protocol}
    ctx = ssl_context(s)
    if ctx is not None:
        kw["ssl_context"] = ctx
    if s.kafka_security_protocol.startswith("SASL"):
        kw.update(sasl_mechanism=s.kafka_sasl_mechanism, sasl_plain_username=s.kafka_sasl_username,
                  sasl_plain_password=s.sasl_password())
    return kw


def producer_kwargs(s: Settings) -> dict[str, Any]:
    """kafka-python producer settings: the connection, every in-sync replica acks each write, and
    idempotence, so a retry after a leader change or a lost ack does not write a message twice."""
    return {**kafka_kwargs(s), "acks": "all", "enable_idempotence": True}


def faust_credentials(s: Settings):
    """faust's `broker_credentials` (None for plaintext)."""
    import faust

    ctx = ssl_context(s)
    if s.kafka_security_protocol.startswith("SASL"):
        return faust.SASLCredentials(username=s.kafka_sasl_username, password=s.sasl_password(),
                                     ssl_context=ctx, mechanism=s.kafka_sasl_mechanism)
    if ctx is not None:
        return faust.SSLCredentials(ctx)
    return None
