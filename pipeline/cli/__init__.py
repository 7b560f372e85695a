"""The commands of `python -m pipeline` (see `--help`): the parser here, each command in its own module."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline import logging as plog
from pipeline import topics
from pipeline.config import get_settings
from pipeline.console.core import CONSOLE_ROLES


def _dev(args: argparse.Namespace) -> int:
    from pipeline import devstack

    s = get_settings()
    if args.brokers:
        s = s.model_copy(update={"kafka_brokers": args.brokers})
    if args.action == "up":
        state = devstack.up(s)
    elif args.action == "down":
        devstack.down(s, purge=args.purge)
        return 0
    else:
        state = devstack.status(s)
    if args.json:
        print(json.dumps(state, indent=2))
    else:
        for name, srv in state["servers"].items():
            print(f"{name:8} {'up' if srv['up'] else 'down':5} port {srv['port']} pid {srv['pid']}")
        print(f"kafka_bootstrap {state['kafka_bootstrap']}  s3_endpoint {state['s3_endpoint']}  "
              f"bucket {state['bucket']}")
    return 0 if state["up"] else 1


def _topics(args: argparse.Namespace) -> int:
    from pipeline import provision

    s = get_settings()
    created = provision.ensure_topics(s, args.replication_factor, args.min_insync_replicas)
    lifecycle = provision.ensure_audio_lifecycle(s) if args.bucket_lifecycle else None
    print(json.dumps({"created": created, "topics": len(topics.ALL) + len(topics.CHANGELOGS),
                      "partitions": s.topic_partitions, "retention_ms": s.topic_retention_ms,
                      "audio_lifecycle_days": s.audio_retention_days if lifecycle else None}))
    return 0


def _worker(args: argparse.Namespace) -> int:
    from pipeline.stream.worker import run

    return run(args.stage)


def _submit(args: argparse.Namespace) -> int:
    from pipeline.ingest.submit import submit_files

    return submit_files(get_settings(), args.files, caller_id=args.caller_id, mailbox=args.mailbox)


def _classify(_args: argparse.Namespace) -> int:
    from pipeline.cli.classify import classify_lines

    return classify_lines(sys.stdin, sys.stdout)


def _process(args: argparse.Namespace) -> int:
    from pipeline.cli.process import process_files

    return process_files(get_settings(), args.files, sys.stdout)


def _tail(args: argparse.Namespace) -> int:
    from pipeline.cli.tail import tail

    return tail(get_settings(), roles=args.role, count=args.count, timeout_s=args.timeout, as_json=args.json,
                ack=args.ack)


def _stats(args: argparse.Namespace) -> int:
    from pipeline.cli.stats import stats

    return stats(get_settings(), as_json=args.json)


def _bench(args: argparse.Namespace) -> int:
    from pipeline.cli import bench

    if args.what == "classify":
        return bench.bench_classify(args.set, args.repeat, sys.stdout)
    if args.what == "kafka":
        return bench.bench_kafka(get_settings(), args.set, args.audio, args.count, sys.stdout)
    if args.what == "stream":
        return bench.bench_stream(get_settings(), args.files, args.transcribe_workers, args.latency_files, sys.stdout)
    return bench.bench_transcribe(get_settings(), args.files, args.refs, sys.stdout)


def _eval(args: argparse.Namespace) -> int:
    from pipeline.cli.evaluate import evaluate

    try:
        return evaluate(get_settings(), args.set, args.audio, args.json, args.min)
    except ValueError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2


def _train(args: argparse.Namespace) -> int:
    from pipeline.classify.training.train import compare, cross_validated_tradeoff, train

    if args.tradeoff:
        _print_table(cross_validated_tradeoff(), [
            ("threshold", "threshold", 9, ".2f"), ("emergencies missed", "missed", 18, "d"),
            ("false emergencies", "false_emergencies", 17, "d"), ("share", "false_share", 6, ".3f"),
            ("raised by the model alone", "by_model_alone", 25, "d")])
        return 0
    if args.compare:
        _print_table(compare(), [
            ("features", "features", 32, ""), ("urgency acc", "urgency_accuracy", 11, ".3f"),
            ("em. recall@0.5", "emergency_recall_at_0.5", 14, ".3f"),
            ("false alarms@full recall", "false_alarms_at_full_recall", 24, ".3f"),
            ("intent F1", "intent_micro_f1", 9, ".3f")])
        return 0
    print(json.dumps(train(distill_vectors=args.distill), indent=2))
    return 0


def _print_table(rows: list[dict], columns: list[tuple[str, str, int, str]]) -> None:
    """Rows as a fixed-width table; each column (title, key, width, number format, "" for text, which
    is left-aligned)."""
    print(" ".join(f"{title:{'<' if fmt == '' else '>'}{width}}" for title, _, width, fmt in columns))
    for row in rows:
        print(" ".join(f"{row[key]:{width}{fmt}}" for _, key, width, fmt in columns))


def _split(_args: argparse.Namespace) -> int:
    from pipeline.classify.training.split import write_split

    print(json.dumps(write_split()))
    return 0


def _protocols(_args: argparse.Namespace) -> int:
    from pipeline.classify.redflags import PROTOCOLS

    print("| protocol | urgency | what callers describe |\n|---|---|---|")
    for proto in PROTOCOLS:
        print(f"| `{proto.name}` | {proto.urgency} | {proto.about} |")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from pipeline.cli.replay import replay

    return replay(get_settings(), args.reason, args.stage, args.voicemail_id, args.dry_run)


def _console(args: argparse.Namespace) -> int:
    from pipeline.cli import console

    if args.action == "add-user":
        return console.add_user(get_settings(), args.name, args.role, args.password_stdin)
    return console.serve(get_settings())


def _demo(_args: argparse.Namespace) -> int:
    from pipeline.cli.demo import demo

    return demo(get_settings())


def _opt(*names: str, **kwargs: object) -> tuple[tuple[str, ...], dict[str, object]]:
    return names, kwargs


_JSON = _opt("--json", action="store_true")
_FILES = _opt("files", nargs="+")

# name -> (handler, help, arguments); "bench" has subcommands of its own (below).
_COMMANDS = {
    "dev": (_dev, "local stack: real Kafka broker and S3 server", [
        _opt("action", choices=["up", "down", "status"]),
        _opt("--json", action="store_true", help="machine-readable connection details"),
        _opt("--purge", action="store_true", help="with down: delete topics' and bucket's data too"),
        _opt("--brokers", type=int, choices=range(1, 6), metavar="N",
             help="with up: Kafka nodes to run (default VM_KAFKA_BROKERS, 1); 3 gives replication 3, min ISR 2")]),
    "topics": (_topics, "create the topics (idempotent) on any cluster; sets retention and min ISR", [
        _opt("--replication-factor", type=int, help="default VM_TOPIC_REPLICATION"),
        _opt("--min-insync-replicas", type=int, help="min.insync.replicas of every topic"),
        _opt("--bucket-lifecycle", action="store_true",
             help="also put the audio expiry rule (VM_AUDIO_RETENTION_DAYS) on the bucket")]),
    "worker": (_worker, "streaming workers (faust); all stages unless --stage", [
        _opt("--stage", choices=topics.STAGES, action="append", help="run only this stage (repeatable)")]),
    "submit": (_submit, "upload voicemail audio to the bucket and announce it",
               [_FILES, _opt("--caller-id"), _opt("--mailbox")]),
    "classify": (_classify, 'JSON lines {"id","text"} on stdin -> triage JSON lines on stdout', []),
    "process": (_process, "transcribe, classify and route audio files in-process (no Kafka)", [_FILES]),
    "tail": (_tail, "print tasks from the role topics", [
        _opt("--role", action="append", choices=topics.ROLES, help="role to follow (repeatable; default all)"),
        _opt("--count", type=int, help="stop after this many tasks"),
        _opt("--timeout", type=float, default=None, help="stop after this many idle seconds"),
        _opt("--json", action="store_true", help="print whole FHIR Tasks as JSON lines"),
        _opt("--ack", action="store_true", help="acknowledge each task on tasks.status (status accepted)")]),
    "eval": (_eval, "per-field triage metrics on a LABELS.md set (transcripts or audio)", [
        _opt("set"),
        _opt("--audio", help="folder with <id>.<ext> audio: transcribe first, then classify"),
        _JSON,
        _opt("--min", action="append", default=[], metavar="METRIC=VALUE",
             help="exit 1 when METRIC falls below VALUE (emergency_recall, urgency_accuracy, intent_micro_f1, "
                  "role_accuracy, or an entity field such as callback_number); repeatable")]),
    "train-triage": (_train, "retrain the triage model on the train + dev splits (thresholds from cross-validation)", [
        _opt("--distill", action="store_true", help="also rebuild the static vectors (needs the `train` extra)"),
        _opt("--compare", action="store_true",
             help="print the model alone on the dev split per feature family, and train nothing"),
        _opt("--tradeoff", action="store_true",
             help="print, from 5-fold cross-validation over train + dev, emergencies missed against "
                  "non-emergencies raised per emergency threshold, and train nothing")]),
    "split": (_split, "write data/triage/{train,dev,test}.jsonl from every labeled voicemail", []),
    "protocols": (_protocols, "print the red-flag protocol list as a Markdown table", []),
    "stats": (_stats, "return-call scorecard from the topics", [_JSON]),
    "replay-dlq": (_replay, "re-submit chosen dead letters to where they failed", [
        _opt("--reason", help="only records with this reason code, e.g. object_missing"),
        _opt("--stage", choices=topics.STAGES),
        _opt("--voicemail-id"),
        _opt("--dry-run", action="store_true", help="list what would be replayed")]),
    "demo": (_demo, "stack + workers + sample voicemails -> tasks per role", []),
    "console": (_console, "the callback console on VM_CONSOLE_HOST:VM_CONSOLE_PORT; or add-user NAME --role ROLE", [
        _opt("action", nargs="?", choices=["serve", "add-user"], default="serve"),
        _opt("name", nargs="?", help="with add-user: the user name"),
        _opt("--role", action="append", choices=CONSOLE_ROLES, help="with add-user: a role they see (repeatable)"),
        _opt("--password-stdin", action="store_true", help="with add-user: read the password from stdin")]),
}
_BENCHES = {
    "transcribe": ("plain faster-whisper loop vs the transcribe stage on the same files", [
        _FILES, _opt("--refs", help="LABELS.md JSONL whose ids match the file names, for WER")]),
    "classify": ("transcripts/s through the triage core on one core", [
        _opt("set", help='JSON lines with a "text" field'), _opt("--repeat", type=int, default=20)]),
    "stream": ("throughput of the running stack with 1, 2, ... transcribe workers", [
        _FILES,
        _opt("--transcribe-workers", type=int, nargs="+", default=[1, 2],
             help="worker counts to compare (default 1 2); threads per worker = VM_WHISPER_CPU_THREADS / count"),
        _opt("--latency-files", type=int, default=8,
             help="then this many files one at a time on the idle stack: upload-to-task latency and its "
                  "overhead over the plain loop (default 8; 0 = skip)")]),
    "kafka": ("the Kafka part alone on the running stack: ingest -> route, Whisper replaced by transcripts", [
        _opt("set", help="LABELS.md JSONL: id, text, language"),
        _opt("--audio", required=True, help="folder of the set's recordings, DIR/<id>.*"),
        _opt("--count", type=int, default=500, help="voicemails to time (default 500)")]),
}


def build_parser() -> argparse.ArgumentParser:
    """The `python -m pipeline` command line: one subcommand per job."""
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Voicemail to callback task pipeline.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(parent: argparse._SubParsersAction, name: str, handler: object, help_: str,
            arguments: list[tuple[tuple[str, ...], dict[str, object]]]) -> argparse.ArgumentParser:
        cmd = parent.add_parser(name, help=help_)
        for names, kwargs in arguments:
            cmd.add_argument(*names, **kwargs)
        cmd.set_defaults(func=handler)
        return cmd

    for name, (handler, help_, arguments) in _COMMANDS.items():
        add(sub, name, handler, help_, arguments)
    bench = sub.add_parser("bench", help="benchmarks that print figures").add_subparsers(dest="what", required=True)
    for name, (help_, arguments) in _BENCHES.items():
        add(bench, name, _bench, help_, arguments)
    return p


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, configure logging, run the command; its exit status."""
    args = build_parser().parse_args(argv)
    plog.configure(get_settings().log_level)
    return args.func(args)
