"""The `ledger` command: up, worker, emit, broker, provision, dlq and verify."""

import argparse
import signal
import sys
import threading

from pydantic import ValidationError

from ledger import logs
from ledger.config import Settings, settings
from ledger.dlq_command import add_dlq_commands
from ledger.verify.command import add_verify_command


def main(argv: list[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = settings()
    except ValidationError as error:
        # Without the inputs: they may hold a password.
        problems = error.errors(include_input=False, include_url=False)
        sys.exit("ledger: bad settings: " + "; ".join(_problem(p) for p in problems))
    logs.configure(config.log_level)
    args.command(args, config)


def _problem(problem: dict) -> str:
    where = "LEDGER_" + "_".join(str(part) for part in problem["loc"]).upper()
    message = problem["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if problem["loc"] else message


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ledger", description=__doc__)
    commands = parser.add_subparsers(required=True)
    up = commands.add_parser("up", help="embedded broker (unless configured) + worker")
    up.add_argument("--demo", action="store_true", help="stream realistic demo events")
    up.add_argument("--rate", type=float, default=20.0, help="demo events per second")
    up.set_defaults(command=_up)
    worker = commands.add_parser("worker", help="one aggregator worker and its API")
    worker.set_defaults(command=_worker)
    emit = commands.add_parser("emit", help="publish one event, print its event_id")
    emit.add_argument("event", nargs="?", help="JSON, @file, a file path, or - (stdin)")
    emit.set_defaults(command=_emit)
    broker = commands.add_parser("broker", help="run only the embedded broker")
    broker.add_argument("--port", type=int, default=None)
    broker.set_defaults(command=_broker)
    provision = commands.add_parser("provision", help="create the ledger's topics")
    provision.set_defaults(command=_provision)
    add_dlq_commands(commands)
    add_verify_command(commands)
    return parser


def _up(args: argparse.Namespace, config: Settings) -> None:
    from ledger.broker import configured_broker
    from ledger.service import build_worker_app, run_worker

    broker = None
    if config.kafka_bootstrap is None:
        broker = configured_broker(config, config.embedded_port).start()
    bootstrap = config.kafka_bootstrap or broker.bootstrap
    stop_demo = threading.Event()
    try:
        app = build_worker_app(config, bootstrap)
        if args.demo:
            _start_demo(bootstrap, config, args.rate, stop_demo)
        _announce(config, bootstrap, broker)
        run_worker(app, config)
    finally:
        stop_demo.set()
        if broker:
            broker.stop()


def _worker(args: argparse.Namespace, config: Settings) -> None:
    from ledger.service import build_worker_app, run_worker

    if config.kafka_bootstrap is None:
        sys.exit("ledger worker needs LEDGER_KAFKA_BOOTSTRAP (ledger up starts one)")
    run_worker(build_worker_app(config, config.kafka_bootstrap), config)


def _emit(args: argparse.Namespace, config: Settings) -> None:
    from ledger.errors import LedgerError
    from ledger.producer.client import LedgerProducer
    from ledger.producer.emit import emit, read_event_text

    try:
        with LedgerProducer(
            config.bootstrap,
            topic=config.topic,
            security=config.kafka_security.kafka_python(),
        ) as producer:
            print(emit(read_event_text(args.event), producer))
    except LedgerError as error:
        sys.exit(f"ledger emit: {error}")


def _broker(args: argparse.Namespace, config: Settings) -> None:
    from ledger.broker import configured_broker

    # SIGTERM leaves through the with block, so Tansu (own session) stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with configured_broker(config, args.port or config.embedded_port) as broker:
        print(f"embedded broker on {broker.bootstrap} ({broker.kept}); Ctrl-C stops it")
        threading.Event().wait()


def _provision(args: argparse.Namespace, config: Settings) -> None:
    from kafka.errors import KafkaError

    from ledger.kafka_admin import PARTITIONS_HINT, provision
    from ledger.topic_specs import ledger_topics

    try:
        drift = provision(config.bootstrap, config)
    except KafkaError as error:
        sys.exit(f"ledger provision: {config.bootstrap}: {error!r}")
    if drift:
        lines = "\n".join(f"  {difference}" for difference in drift)
        if any(difference.breaks_tables for difference in drift):
            lines += f"\n{PARTITIONS_HINT}"
        sys.exit(f"ledger provision: existing topics differ from settings:\n{lines}")
    names = ", ".join(spec.name for spec in ledger_topics(config))
    print(f"ledger provision: every topic as wanted: {names}")


def _start_demo(bootstrap: str, config: Settings, rate: float, stop) -> None:
    from ledger.producer.client import LedgerProducer
    from ledger.producer.demo import run_demo

    def stream() -> None:
        security = config.kafka_security.kafka_python()
        with LedgerProducer(bootstrap, config.topic, security=security) as producer:
            run_demo(producer, rate, stop)

    threading.Thread(target=stream, name="demo-events", daemon=True).start()


def _announce(config: Settings, bootstrap: str, broker) -> None:
    kind = f"embedded broker ({broker.kept})" if broker else "Kafka"
    print(
        f"ledger: {kind} at {bootstrap}\n"
        f"ledger: dashboard  {config.web_url}/\n"
        f"ledger: read API   {config.web_url}/api/v1/regions\n"
        "ledger: emit with  ledger emit '<event JSON>'  (see README: the contract)",
        flush=True,
    )
