"""The one structlog configuration: JSON lines, Faust's stdlib logging included."""

import logging.config
import sys

import structlog

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure(level: str = "info", console: bool | None = None) -> None:
    """structlog for our code; stdlib logging rendered the same way."""
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelName(level.upper())
        ),
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(logging_config(level, console))


def logging_config(level: str = "info", console: bool | None = None) -> dict:
    """A dictConfig for the stdlib root logger; Faust's worker is given it too.

    ``console`` picks the human renderer; by default, only when stderr is a TTY.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structlog": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _SHARED,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *_renderers(sys.stderr.isatty() if console is None else console),
                ],
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "structlog",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        # kafka-python narrates every connection at INFO; its warnings still show.
        "loggers": {"kafka": {"level": "WARNING"}},
    }


def _renderers(console: bool) -> list:
    """Here, not in structlog's chain, so stdlib records get their tracebacks too.

    The console renderer lays out ``exc_info`` itself; JSON needs it as text.
    """
    if console:
        return [structlog.dev.ConsoleRenderer()]
    return [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
