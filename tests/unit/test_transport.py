"""Every Kafka client gets its security settings from one place."""

from __future__ import annotations

import ssl

import pytest
from pydantic import ValidationError

from pipeline.config import Settings
from pipeline.transport import faust_credentials, kafka_kwargs


def test_plaintext_by_default() -> None:
    assert kafka_kwargs(Settings()) == {"bootstrap_servers": "127.0.0.1:19092", "security_protocol": "PLAINTEXT"}
    assert faust_credentials(Settings()) is None


def test_sasl_ssl_verifies_the_broker_and_logs_in() -> None:
    s = Settings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="u", kafka_sasl_password="p")
    kw = kafka_kwargs(s)
    assert (kw["security_protocol"], kw["sasl_mechanism"], kw["sasl_plain_username"], kw["sasl_plain_password"]) == (
        "SASL_SSL", "SCRAM-SHA-512", "u", "p")
    ctx = kw["ssl_context"]
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.minimum_version >= ssl.TLSVersion.TLSv1_2
    creds = faust_credentials(s)
    assert (creds.protocol.value, creds.mechanism.value, creds.username) == ("SASL_SSL", "SCRAM-SHA-512", "u")


def test_sasl_without_a_login_is_refused_at_startup() -> None:
    with pytest.raises(ValidationError, match="VM_KAFKA_SASL_USERNAME"):
        Settings(kafka_security_protocol="SASL_SSL")
