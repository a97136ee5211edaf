"""The partnership activity ledger: events in, per-region aggregates out."""
