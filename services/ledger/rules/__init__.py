"""The ledger's pure rules: admission, folding, counts and keys; no Faust, no Kafka."""
