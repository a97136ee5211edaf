"""`ledger dlq list` and `ledger dlq replay`: the dead-letter topic for operators."""

import argparse
import sys

from kafka.errors import KafkaError

from ledger import dlq
from ledger.config import Settings
from ledger.errors import LedgerError
from ledger.rules.intake import REASONS


def add_dlq_commands(commands) -> None:
    parser = commands.add_parser("dlq", help="list or replay dead letters")
    actions = parser.add_subparsers(required=True)
    show = actions.add_parser("list", help="show dead letters, oldest first")
    show.set_defaults(command=_list)
    again = actions.add_parser(
        "replay", help="publish dead letters to the activity topic again, once each"
    )
    again.set_defaults(command=_replay)
    for action in (show, again):
        action.add_argument("--reason", choices=REASONS, help="only this reason")
        action.add_argument(
            "--since",
            metavar="OFFSET",
            help="dead-letter offset to start at: 120, or per partition 0:120,3:45",
        )


def _list(args: argparse.Namespace, config: Settings) -> None:
    letters, ends = _read(args, config)
    for letter in letters:
        print(letter.line())
    print(f"{dlq.summary(letters)}; later ones: --since {dlq.since_text(ends)}")


def _replay(args: argparse.Namespace, config: Settings) -> None:
    from ledger.producer.kafka_transport import kafka_transport

    letters, ends = _read(args, config)
    security = config.kafka_security.kafka_python()
    producer = kafka_transport(config.bootstrap, security=security)
    try:
        dlq.replay(letters, producer, config.topic, config.dlq_topic)
    except KafkaError as error:
        sys.exit(f"ledger dlq replay: {error!r} (some may have been replayed)")
    finally:
        producer.close()
    print(
        f"replayed {dlq.summary(letters)} to {config.topic}; still-bad ones come "
        f"back to {config.dlq_topic}. To replay only later dead letters next "
        f"time: --since {dlq.since_text(ends)}"
    )


def _read(args: argparse.Namespace, config: Settings) -> tuple[list, dict]:
    try:
        since = dlq.parse_since(args.since)
        reader = dlq.open_reader(config.bootstrap, config.kafka_security.kafka_python())
        try:
            letters, ends = dlq.read_dead_letters(reader, config.dlq_topic, since)
        finally:
            reader.close()
    except (LedgerError, KafkaError) as error:
        sys.exit(f"ledger dlq: {error}")
    return dlq.matching(letters, args.reason), ends
