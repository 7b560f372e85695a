"""The local stack: real Apache Kafka (KRaft; one node, or a cluster of `VM_KAFKA_BROKERS` nodes, each
broker and controller in one JVM) and a real S3 server (S3Proxy), both from Maven Central jars run on
the machine's `java`, bound to 127.0.0.1.

`up` is idempotent: a server whose pid is alive and whose port answers is left alone.
`down` stops only the processes `up` started (by pid file) and keeps data unless `purge`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from kafka.admin import KafkaAdminClient

from pipeline.adapters.s3 import client as s3_client
from pipeline.config import REPO_ROOT, Settings
from pipeline.logging import get_logger
from pipeline.provision import ensure_audio_lifecycle, ensure_bucket, ensure_topics
from pipeline.transport import kafka_kwargs

log = get_logger(__name__)
POM = REPO_ROOT / "deploy" / "local" / "pom.xml"


class StackError(RuntimeError):
    """The local stack could not be started, or is in a state it cannot fix."""
    pass


@dataclass(frozen=True)
class Server:
    """One process of the local stack (Kafka or the S3 server) and where it keeps its pid and log."""
    name: str  # "kafka" | "s3proxy"
    port: int

    def pidfile(self, s: Settings) -> Path:
        """Where the server's process id is kept."""
        return s.stack_dir / f"{self.name}.pid"

    def logfile(self, s: Settings) -> Path:
        """Where the server's output goes."""
        return s.stack_dir / "logs" / f"{self.name}.log"


def _brokers(s: Settings) -> list[Server]:
    """The Kafka nodes: `kafka` (node 1, on the bootstrap port), then `kafka-2`, ... two ports apart."""
    return [Server("kafka" if i == 0 else f"kafka-{i + 1}", s.kafka_port + 2 * i) for i in range(s.kafka_brokers)]


def _servers(s: Settings) -> list[Server]:
    return [*_brokers(s), Server("s3proxy", s.s3_port)]


def sized(s: Settings) -> Settings:
    """The settings with as many Kafka nodes as the stack holds (a cluster made by `dev up --brokers 3`
    is seen by a later `dev status` or `down` without the flag)."""
    made = next((n for n in range(5, 1, -1)
                 if (s.stack_dir / f"kafka-{n}" / "data" / "meta.properties").exists()), 1)
    return s if made <= s.kafka_brokers else s.model_copy(update={"kafka_brokers": made})


def bootstrap(s: Settings) -> str:
    """Every node's address, for clients of the local cluster (VM_KAFKA_BOOTSTRAP)."""
    return ",".join(f"127.0.0.1:{b.port}" for b in _brokers(s))


def replication(s: Settings) -> tuple[int, int | None]:
    """(replication factor, min.insync.replicas) of the topics on the local stack: 3 and 2 on a cluster
    of three or more, as in production; what VM_TOPIC_REPLICATION says on one node."""
    if s.kafka_brokers >= 3:
        return 3, 2
    return min(s.topic_replication, s.kafka_brokers), None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pid(server: Server, s: Settings) -> int | None:
    try:
        pid = int(server.pidfile(s).read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    try:  # reap it if it is our own child that already exited (a zombie still answers kill 0)
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return None
    except ChildProcessError:
        pass
    return pid


def fetch_jars(s: Settings, profile: str) -> Path:
    """Copy a server's jars from Maven Central (via the local ~/.m2) once into the jar cache."""
    dest = s.jar_cache / profile
    done = dest / ".complete"
    if done.exists():
        return dest
    if shutil.which("mvn") is None:
        raise StackError("mvn not found: install Maven (apt-get install maven)")
    log.info("stack.fetch_jars", profile=profile)
    subprocess.run(
        ["mvn", "-q", "-B", "-f", str(POM), f"-P{profile}", "dependency:copy-dependencies",
         f"-DoutputDirectory={dest}"],
        check=True,
    )
    done.touch()
    return dest


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise StackError("java not found: install OpenJDK 17 (apt-get install openjdk-17-jre-headless)")
    return java


def _spawn(server: Server, s: Settings, argv: list[str]) -> None:
    server.logfile(s).parent.mkdir(parents=True, exist_ok=True)
    with server.logfile(s).open("ab") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)  # survives the CLI; `down` ends it by pid
    server.pidfile(s).write_text(str(proc.pid))


def _await(server: Server, s: Settings, ready, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _pid(server, s) is None:
            tail = server.logfile(s).read_text(errors="replace")[-2000:]
            raise StackError(f"{server.name} exited during start; log {server.logfile(s)}:\n{tail}")
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - not ready yet, whatever the client says
            pass
        time.sleep(0.5)
    raise StackError(f"{server.name} not ready after {timeout:.0f}s; see {server.logfile(s)}")


def _kafka_config(s: Settings, node: int, data: Path) -> Path:
    """server.properties (and log4j2.properties) of node `node` (0-based) in its own folder."""
    port = s.kafka_port + 2 * node
    proto = s.kafka_security_protocol
    voters = ",".join(f"{i + 1}@127.0.0.1:{s.kafka_port + 2 * i + 1}" for i in range(s.kafka_brokers))
    rf, min_isr = replication(s)
    conf = data.parent / "server.properties"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.touch(mode=0o600)
    conf.write_text("\n".join([
        "process.roles=broker,controller",
        f"node.id={node + 1}",
        f"controller.quorum.voters={voters}",
        f"listeners={proto}://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}",
        f"advertised.listeners={proto}://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        f"inter.broker.listener.name={proto}",
        f"listener.security.protocol.map={proto}:{proto},CONTROLLER:PLAINTEXT",
        *_kafka_security(s),
        f"log.dirs={data}",
        "num.partitions=1",
        f"default.replication.factor={rf}",
        f"min.insync.replicas={min_isr or 1}",
        f"offsets.topic.replication.factor={rf}",
        f"transaction.state.log.replication.factor={rf}",
        f"transaction.state.log.min.isr={min_isr or 1}",
        f"share.coordinator.state.topic.replication.factor={rf}",
        f"share.coordinator.state.topic.min.isr={min_isr or 1}",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "",
    ]))
    log4j = conf.parent / "log4j2.properties"
    log4j.write_text("\n".join([
        "appender.out.type=Console",
        "appender.out.name=OUT",
        "appender.out.layout.type=PatternLayout",
        "appender.out.layout.pattern=[%d] %p %m (%c)%n",
        "rootLogger.level=WARN",
        "rootLogger.appenderRef.out.ref=OUT",
        "logger.server.name=kafka.server.KafkaRaftServer",
        "logger.server.level=INFO",
        "",
    ]))
    return conf


def _kafka_security(s: Settings) -> list[str]:
    """server.properties lines for a SASL_SSL (SCRAM) listener, as a production cluster would have."""
    if s.kafka_security_protocol == "PLAINTEXT":
        return []
    if s.kafka_security_protocol != "SASL_SSL" or not s.kafka_sasl_mechanism.startswith("SCRAM"):
        raise StackError("the dev stack's broker speaks PLAINTEXT or SASL_SSL with SCRAM")
    tls = tls_material(s)
    mech = s.kafka_sasl_mechanism
    return [
        f"sasl.enabled.mechanisms={mech}",
        f"sasl.mechanism.inter.broker.protocol={mech}",
        f"listener.name.sasl_ssl.{mech.lower()}.sasl.jaas.config="
        f"org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{s.kafka_sasl_username}" password="{s.sasl_password()}";',
        f"ssl.keystore.location={tls / 'server.p12'}",
        "ssl.keystore.type=PKCS12",
        f"ssl.keystore.password={_store_password(tls)}",
        f"ssl.key.password={_store_password(tls)}",
        f"ssl.truststore.location={tls / 'server.p12'}",  # the broker's own client side (inter-broker)
        "ssl.truststore.type=PKCS12",
        f"ssl.truststore.password={_store_password(tls)}",
    ]


def _s3_endpoint(s: Settings, port: int) -> list[str]:
    if urlparse(s.s3_endpoint).scheme != "https":
        return [f"s3proxy.endpoint=http://127.0.0.1:{port}"]
    tls = tls_material(s)
    return [f"s3proxy.secure-endpoint=https://127.0.0.1:{port}", f"s3proxy.keystore-path={tls / 'server.p12'}",
            f"s3proxy.keystore-password={_store_password(tls)}"]


def _store_password(tls: Path) -> str:
    return (tls / "store.pass").read_text().strip()


def tls_material(s: Settings) -> Path:
    """A throwaway local CA (`<stack_dir>/tls/ca.pem`, for VM_KAFKA_SSL_CAFILE and VM_S3_CA_BUNDLE) and a
    server certificate for 127.0.0.1 and localhost that it signed, made once with the JDK's keytool."""
    tls = s.stack_dir / "tls"
    if (tls / "server.p12").exists():
        return tls
    keytool = shutil.which("keytool") or str(Path(os.path.realpath(_java())).with_name("keytool"))
    tls.mkdir(parents=True, exist_ok=True, mode=0o700)
    password = secrets.token_urlsafe(18)
    (tls / "store.pass").write_text(password)
    (tls / "store.pass").chmod(0o600)
    ca, server = str(tls / "ca.p12"), str(tls / "server.p12")
    common = ["-storetype", "PKCS12", "-storepass", password, "-keypass", password]

    def kt(*args: str, stdin: bytes | None = None) -> bytes:
        return subprocess.run([keytool, *args], input=stdin, check=True, capture_output=True).stdout

    kt("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
       "-dname", "CN=voicemail dev CA", "-ext", "bc:c", "-keystore", ca, *common)
    ca_pem = kt("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, *common)
    (tls / "ca.pem").write_bytes(ca_pem)
    kt("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
       "-dname", "CN=localhost", "-keystore", server, *common)
    csr = kt("-certreq", "-alias", "server", "-keystore", server, *common)
    signed = kt("-gencert", "-rfc", "-alias", "ca", "-keystore", ca, *common, "-validity", "30",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth", stdin=csr)
    kt("-importcert", "-noprompt", "-alias", "ca", "-keystore", server, *common, "-file", str(tls / "ca.pem"))
    (tls / "server.pem").write_bytes(signed)
    kt("-importcert", "-noprompt", "-alias", "server", "-keystore", server, *common, "-file", str(tls / "server.pem"))
    return tls


def new_cluster_id() -> str:
    """A random KRaft cluster id. Like Kafka's own, it never starts with "-", which the storage tool
    would read as an option (it failed a CI run)."""
    while (cluster_id := urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")).startswith("-"):
        pass
    return cluster_id


def _needs_start(server: Server, s: Settings, setting: str) -> bool:
    """False when our own server already listens there; StackError when another process holds the port."""
    if _pid(server, s) and _port_open(server.port):
        log.info("stack.already_up", server=server.name, port=server.port)
        return False
    if _port_open(server.port):
        raise StackError(f"port {server.port} is taken by another process; set {setting}")
    return True


def _start_kafka(s: Settings) -> None:
    """Start every Kafka node that is not running (formatted once, all with one cluster id)."""
    nodes = _brokers(s)
    wanted = [(i, srv) for i, srv in enumerate(nodes) if _needs_start(srv, s, "VM_KAFKA_BOOTSTRAP")]
    if not wanted:
        return
    jars = fetch_jars(s, "kafka")
    datas = [s.stack_dir / srv.name / "data" for srv in nodes]
    formatted = [(d / "meta.properties").exists() for d in datas]
    if any(formatted) and not all(formatted):
        raise StackError("some Kafka nodes have data and some not; `dev down --purge` first to change the size")
    heap = "-Xmx768m" if s.kafka_brokers == 1 else "-Xmx512m"
    cluster_id = None if all(formatted) else new_cluster_id()
    for i, server in wanted:
        conf = _kafka_config(s, i, datas[i])
        java = [_java(), "-Xms256m", heap, f"-Dlog4j2.configurationFile={conf.parent / 'log4j2.properties'}",
                "-cp", f"{jars}/*"]
        if cluster_id is not None:
            scram = []
            if s.kafka_security_protocol == "SASL_SSL":  # the SCRAM user exists from the first start
                scram = ["--add-scram", f"{s.kafka_sasl_mechanism}=[name={s.kafka_sasl_username},"
                                        f"password={s.sasl_password()}]"]
            subprocess.run([*java, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(conf), *scram],
                           check=True, capture_output=True)
        _spawn(server, s, [*java, "kafka.Kafka", str(conf)])
    for _, server in wanted:
        _await(server, s, lambda server=server: _port_open(server.port))  # type: ignore[misc]

    def ready() -> bool:
        admin = KafkaAdminClient(**kafka_kwargs(s.model_copy(update={"kafka_bootstrap": bootstrap(s)})),
                                 request_timeout_ms=3000)
        try:
            return len(admin.describe_cluster()["brokers"]) == len(nodes)
        finally:
            admin.close()

    _await(wanted[0][1], s, ready)
    log.info("stack.started", server="kafka", nodes=[srv.port for _, srv in wanted])


def _start_s3proxy(s: Settings) -> None:
    server = _servers(s)[-1]
    if not _needs_start(server, s, "VM_S3_ENDPOINT"):
        return
    jars, data = fetch_jars(s, "s3proxy"), s.stack_dir / "s3" / "data"
    data.mkdir(parents=True, exist_ok=True)
    conf = s.stack_dir / "s3" / "s3proxy.properties"
    conf.write_text("\n".join([
        *_s3_endpoint(s, server.port),
        "s3proxy.authorization=aws-v2-or-v4",
        f"s3proxy.identity={s.aws_access_key_id}",
        f"s3proxy.credential={s.aws_secret_access_key.get_secret_value()}",
        "jclouds.provider=filesystem",
        f"jclouds.filesystem.basedir={data}",
        "",
    ]))
    conf.chmod(0o600)
    logback = s.stack_dir / "s3" / "logback.xml"
    logback.write_text(
        '<configuration><appender name="OUT" class="ch.qos.logback.core.ConsoleAppender"><encoder>'
        "<pattern>%d %level %logger{20} %msg%n</pattern></encoder></appender>"
        '<root level="WARN"><appender-ref ref="OUT"/></root></configuration>\n'
    )
    _spawn(server, s, [_java(), "-Xmx256m", f"-Dlogback.configurationFile={logback}", "-cp", f"{jars}/*",
                       "org.gaul.s3proxy.Main",
                       "--properties", str(conf)])
    _await(server, s, lambda: s3_client(s).list_buckets() is not None)
    log.info("stack.started", server="s3proxy", port=server.port)


def up(s: Settings) -> dict:
    """Start Kafka and the S3 server (unless running), create the bucket, its lifecycle and the topics; the status.
    A stack keeps the number of Kafka nodes it was made with (`down --purge` to change it)."""
    made = sized(s)
    if made.kafka_brokers != s.kafka_brokers:
        log.warning("stack.size_kept", brokers=made.kafka_brokers, asked=s.kafka_brokers)
    s = made
    s.stack_dir.mkdir(parents=True, exist_ok=True)
    _start_kafka(s)
    _start_s3proxy(s)
    ensure_bucket(s)
    ensure_audio_lifecycle(s)
    created = ensure_topics(s.model_copy(update={"kafka_bootstrap": bootstrap(s)}), *replication(s))
    log.info("stack.ready", topics_created=len(created))
    return status(s)


def _console(s: Settings) -> Server:
    return Server("console", s.console_port)


def console_pid(s: Settings) -> int | None:
    """The pid of the callback console `spawn_console` started, while it runs."""
    return _pid(_console(s), s)


def spawn_console(s: Settings) -> None:
    """Start `python -m pipeline console` in the background (stopped by `down`); wait until it answers."""
    server = _console(s)
    if _port_open(server.port):
        raise StackError(f"port {server.port} is taken by another process; set VM_CONSOLE_PORT")
    _spawn(server, s, [sys.executable, "-m", "pipeline", "console"])
    _await(server, s, lambda: _port_open(server.port), timeout=60)
    log.info("stack.started", server="console", port=server.port)


def down(s: Settings, purge: bool = False) -> None:
    """Stop the stack's servers and the console (and with `purge` delete their data)."""
    s = sized(s)
    # All at once: a cluster's nodes stopped one by one leave the last without a controller quorum, and
    # its controlled shutdown then waits out the whole timeout.
    running = [(server, pid) for server in (_console(s), *_servers(s)) if (pid := _pid(server, s)) is not None]
    for _, pid in running:
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for server, pid in running:
        while _pid(server, s) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        if _pid(server, s) is not None:
            os.killpg(pid, signal.SIGKILL)
        log.info("stack.stopped", server=server.name)
    for server in (_console(s), *_servers(s)):
        server.pidfile(s).unlink(missing_ok=True)
    if purge:
        for sub in ("kafka", *(f"kafka-{i}" for i in range(2, 6)), "s3", "logs", "state"):
            shutil.rmtree(s.stack_dir / sub, ignore_errors=True)


def status(s: Settings) -> dict:
    """Endpoints and, per server, its pid, port and whether it answers; each Kafka node with its id."""
    s = sized(s)
    servers = {srv.name: {"pid": _pid(srv, s), "port": srv.port, "up": _pid(srv, s) is not None
                          and _port_open(srv.port)} for srv in _servers(s)}
    return {
        "kafka_bootstrap": bootstrap(s),
        "brokers": [{"id": i + 1, "port": b.port, "pid": servers[b.name]["pid"], "up": servers[b.name]["up"]}
                    for i, b in enumerate(_brokers(s))],
        "s3_endpoint": s.s3_endpoint,
        "bucket": s.bucket,
        "region": s.region,
        "aws_access_key_id": s.aws_access_key_id,
        "aws_secret_access_key": s.aws_secret_access_key.get_secret_value(),
        "servers": servers,
        "up": all(v["up"] for v in servers.values()),
    }
