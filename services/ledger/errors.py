"""The ledger's exceptions: one base, so callers can catch everything we raise."""

from pydantic import ValidationError


class LedgerError(Exception):
    """Base for every error the ledger raises on purpose."""


class InvalidEventError(LedgerError):
    """An event broke the contract; `errors` is pydantic's list, one per bad field."""

    def __init__(self, message: str, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    @classmethod
    def from_validation(cls, exc: ValidationError) -> "InvalidEventError":
        errors = exc.errors(include_url=False)
        problems = "; ".join(f"{_where(error)}: {error['msg']}" for error in errors)
        return cls(f"invalid event: {problems}", errors)


class PublishError(LedgerError):
    """Kafka did not take a record; the kafka-python exception is the cause."""

    def __init__(self, topic: str, cause: BaseException) -> None:
        super().__init__(f"publishing to {topic!r} failed: {cause!r}")
        self.topic = topic


def _where(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"]) or "event"
