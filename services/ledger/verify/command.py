"""`ledger verify`: exit 0 when every figure agrees with the log, 1 on any
difference, 2 when the ledger or Kafka could not be reached or read."""

import argparse
import sys

from kafka.errors import KafkaError

from ledger.config import Settings
from ledger.verify.errors import CannotVerifyError

CANNOT = 2


def add_verify_command(commands) -> None:
    parser = commands.add_parser(
        "verify", help="recompute every figure from the topic and compare"
    )
    parser.add_argument(
        "--url",
        help="any worker's URL (default: LEDGER_ADVERTISED_URL, else the web host "
        "and port)",
    )
    parser.add_argument(
        "--attempts",
        type=int,
        default=5,
        help="tries at a quiet moment for each public answer (default 5)",
    )
    parser.set_defaults(command=_verify)


def _verify(args: argparse.Namespace, config: Settings) -> None:
    from ledger.verify.report import report

    url = args.url or config.web_url
    outcome = _outcome(url, max(1, args.attempts), config)
    print(report(outcome, url, config.topic, config.bootstrap), flush=True)
    sys.exit(0 if outcome.agrees else 1)


def _outcome(url: str, attempts: int, config: Settings):
    # Here, not at the top: the read side's answers bring Faust, which no other
    # command of the CLI should wait for.
    from ledger.verify import topic_reader
    from ledger.verify.progress import Progress
    from ledger.verify.served import ServedLedger
    from ledger.verify.verification import verify

    security = config.kafka_security.kafka_python()
    try:
        consumer = topic_reader.open_consumer(config.bootstrap, security)
    except KafkaError as error:
        _cannot(f"cannot reach Kafka at {config.bootstrap}: {error!r}")
    try:
        reader = topic_reader.TopicReader(consumer, config.topic, Progress())
        return verify(ServedLedger(url), reader, attempts)
    except CannotVerifyError as error:
        _cannot(str(error))
    except KafkaError as error:
        _cannot(f"reading {config.topic} at {config.bootstrap}: {error!r}")
    finally:
        topic_reader.close_quietly(consumer)


def _cannot(message: str) -> None:
    print(f"ledger verify: could not verify: {message}", file=sys.stderr)
    sys.exit(CANNOT)
