"""`python -m pipeline COMMAND`: see `--help`."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline import logging as plog
from pipeline import topics
from pipeline.config import get_settings


def _dev(args: argparse.Namespace) -> int:
    from pipeline import devstack

    s = get_settings()
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
    from pipeline.classify.cli import classify_lines

    return classify_lines(sys.stdin, sys.stdout)


def _process(args: argparse.Namespace) -> int:
    from pipeline.process import process_files

    return process_files(get_settings(), args.files, sys.stdout)


def _tail(args: argparse.Namespace) -> int:
    from pipeline.route.tail import tail

    return tail(get_settings(), roles=args.role, count=args.count, timeout_s=args.timeout, as_json=args.json,
                ack=args.ack)


def _stats(args: argparse.Namespace) -> int:
    from pipeline.route.stats import stats

    return stats(get_settings(), as_json=args.json)


def _bench(args: argparse.Namespace) -> int:
    from pipeline import bench

    if args.what == "classify":
        return bench.bench_classify(args.set, args.repeat, sys.stdout)
    if args.what == "stream":
        return bench.bench_stream(get_settings(), args.files, args.transcribe_workers, args.latency_files, sys.stdout)
    return bench.bench_transcribe(get_settings(), args.files, args.refs, sys.stdout)


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate

    try:
        return evaluate(get_settings(), args.set, args.audio, args.json, args.min)
    except ValueError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2


def _train(args: argparse.Namespace) -> int:
    from pipeline.classify.training.train import compare, train

    if args.compare:
        print(f"{'features':32} {'urgency acc':>11} {'em. recall@0.5':>14} {'false alarms@full recall':>24} "
              f"{'intent F1':>9}")
        for row in compare():
            print(f"{row['features']:32} {row['urgency_accuracy']:11.3f} {row['emergency_recall_at_0.5']:14.3f} "
                  f"{row['false_alarms_at_full_recall']:24.3f} {row['intent_micro_f1']:9.3f}")
        return 0
    print(json.dumps(train(distill_vectors=args.distill), indent=2))
    return 0


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
    from pipeline.replay import replay

    return replay(get_settings(), args.reason, args.stage, args.voicemail_id, args.dry_run)


def _demo(_args: argparse.Namespace) -> int:
    from pipeline.demo import demo

    return demo(get_settings())


def build_parser() -> argparse.ArgumentParser:
    """The `python -m pipeline` command line: one subcommand per job."""
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Voicemail to callback task pipeline.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dev = sub.add_parser("dev", help="local stack: real Kafka broker and S3 server")
    dev.add_argument("action", choices=["up", "down", "status"])
    dev.add_argument("--json", action="store_true", help="machine-readable connection details")
    dev.add_argument("--purge", action="store_true", help="with down: delete topics' and bucket's data too")
    dev.set_defaults(func=_dev)

    tp = sub.add_parser("topics", help="create the topics (idempotent) on any cluster; sets retention and min ISR")
    tp.add_argument("--replication-factor", type=int, help="default VM_TOPIC_REPLICATION")
    tp.add_argument("--min-insync-replicas", type=int, help="min.insync.replicas of every topic")
    tp.add_argument("--bucket-lifecycle", action="store_true",
                    help="also put the audio expiry rule (VM_AUDIO_RETENTION_DAYS) on the bucket")
    tp.set_defaults(func=_topics)

    w = sub.add_parser("worker", help="streaming workers (faust); all stages unless --stage")
    w.add_argument("--stage", choices=topics.STAGES, action="append",
                   help="run only this stage (repeatable)")
    w.set_defaults(func=_worker)

    sm = sub.add_parser("submit", help="upload voicemail audio to the bucket and announce it")
    sm.add_argument("files", nargs="+")
    sm.add_argument("--caller-id")
    sm.add_argument("--mailbox")
    sm.set_defaults(func=_submit)

    c = sub.add_parser("classify", help='JSON lines {"id","text"} on stdin -> triage JSON lines on stdout')
    c.set_defaults(func=_classify)

    pr = sub.add_parser("process", help="transcribe, classify and route audio files in-process (no Kafka)")
    pr.add_argument("files", nargs="+")
    pr.set_defaults(func=_process)

    t = sub.add_parser("tail", help="print tasks from the role topics")
    t.add_argument("--role", action="append", choices=topics.ROLES, help="role to follow (repeatable; default all)")
    t.add_argument("--count", type=int, help="stop after this many tasks")
    t.add_argument("--timeout", type=float, default=None, help="stop after this many idle seconds")
    t.add_argument("--json", action="store_true", help="print whole FHIR Tasks as JSON lines")
    t.add_argument("--ack", action="store_true", help="acknowledge each task on tasks.status (status accepted)")
    t.set_defaults(func=_tail)

    b = sub.add_parser("bench", help="benchmarks that print figures")
    bsub = b.add_subparsers(dest="what", required=True)
    bt = bsub.add_parser("transcribe", help="plain faster-whisper loop vs the transcribe stage on the same files")
    bt.add_argument("files", nargs="+")
    bt.add_argument("--refs", help="LABELS.md JSONL whose ids match the file names, for WER")
    bt.set_defaults(func=_bench)
    bc = bsub.add_parser("classify", help="transcripts/s through the triage core on one core")
    bc.add_argument("set", help="JSON lines with a \"text\" field")
    bc.add_argument("--repeat", type=int, default=20)
    bc.set_defaults(func=_bench)
    bs = bsub.add_parser("stream", help="throughput of the running stack with 1, 2, ... transcribe workers")
    bs.add_argument("files", nargs="+")
    bs.add_argument("--transcribe-workers", type=int, nargs="+", default=[1, 2],
                    help="worker counts to compare (default 1 2); threads per worker = VM_WHISPER_CPU_THREADS / count")
    bs.add_argument("--latency-files", type=int, default=8,
                    help="then this many files one at a time on the idle stack: upload-to-task latency and its "
                         "overhead over the plain loop (default 8; 0 = skip)")
    bs.set_defaults(func=_bench)

    ev = sub.add_parser("eval", help="per-field triage metrics on a LABELS.md set (transcripts or audio)")
    ev.add_argument("set")
    ev.add_argument("--audio", help="folder with <id>.<ext> audio: transcribe first, then classify")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                    help="exit 1 when METRIC falls below VALUE (emergency_recall, urgency_accuracy, intent_micro_f1, "
                         "role_accuracy, or an entity field such as callback_number); repeatable")
    ev.set_defaults(func=_eval)

    tr = sub.add_parser("train-triage",
                        help="retrain the triage model on the train + dev splits (thresholds from cross-validation)")
    tr.add_argument("--distill", action="store_true", help="also rebuild the static vectors (needs the `train` extra)")
    tr.add_argument("--compare", action="store_true",
                    help="print the model alone on the dev split per feature family, and train nothing")
    tr.set_defaults(func=_train)
    sp = sub.add_parser("split", help="write data/triage/{train,dev,test}.jsonl from every labeled voicemail")
    sp.set_defaults(func=_split)
    pt = sub.add_parser("protocols", help="print the red-flag protocol list as a Markdown table")
    pt.set_defaults(func=_protocols)

    st = sub.add_parser("stats", help="return-call scorecard from the topics")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=_stats)

    rp = sub.add_parser("replay-dlq", help="re-submit chosen dead letters to where they failed")
    rp.add_argument("--reason", help="only records with this reason code, e.g. object_missing")
    rp.add_argument("--stage", choices=topics.STAGES)
    rp.add_argument("--voicemail-id")
    rp.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    rp.set_defaults(func=_replay)

    d = sub.add_parser("demo", help="stack + workers + sample voicemails -> tasks per role")
    d.set_defaults(func=_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, configure logging, run the command; its exit status."""
    args = build_parser().parse_args(argv)
    plog.configure(get_settings().log_level)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
