"""`ledger verify`: every figure recomputed from the raw log and compared."""
