"""Why verify could not compare: the ledger or Kafka out of reach, or the log cut."""

from ledger.errors import LedgerError


class CannotVerifyError(LedgerError):
    """Verify could not reach the ledger or Kafka, or cannot recompute (exit 2)."""
