#!/usr/bin/env bash
# SCRAM credentials and ACLs for the ledger's principals (docker-compose.yml's
# kafka-setup service, in the apache/kafka image). Idempotent: adding an ACL that
# exists changes nothing, and a credential is set to the password its file holds.
#
# It logs in as User:admin (a super user) with the admin certificate over the
# brokers' mutual-TLS listener. deploy/README.md ("Kafka principals and ACLs")
# explains each grant; change them there and here together.
set -euo pipefail

: "${KAFKA_BOOTSTRAP:?host:port of the brokers' mTLS listener}"
: "${LEDGER_TOPIC:?the activity topic}"
: "${LEDGER_APP_ID:?the ledger app id}"
bin=/opt/kafka/bin
admin=(--bootstrap-server "$KAFKA_BOOTSTRAP" --command-config /etc/kafka/secrets/client.properties)

scram_user() {  # name, file holding the password
  "$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$(cat "$2")]"
}

allow() {  # principal, then kafka-acls arguments
  local principal=$1
  shift
  "$bin/kafka-acls.sh" "${admin[@]}" --add --allow-principal "User:$principal" "$@"
}

scram_user ledger /run/secrets/ledger_kafka_password
scram_user ledger-admin /run/secrets/ledger_admin_kafka_password
scram_user emitter /run/secrets/emitter_kafka_password

# Emitting services write the activity topic and nothing else.
allow emitter --operation Write --operation Describe --topic "$LEDGER_TOPIC"

# Workers read the activity topic in their consumer group and own their topics:
# the dead letters and everything named <app_id>-... (changelogs, Faust's leader).
allow ledger --operation Read --operation Describe --operation DescribeConfigs \
  --topic "$LEDGER_TOPIC"
allow ledger --operation All --topic "$LEDGER_TOPIC.dlq"
allow ledger --operation All --topic "$LEDGER_APP_ID-" --resource-pattern-type prefixed
allow ledger --operation Read --group "$LEDGER_APP_ID"

# ledger-admin runs the one-shot jobs: `ledger provision` creates the topics,
# `ledger dlq list` reads the dead letters, `ledger dlq replay` writes them back.
allow ledger-admin --operation Create --operation Describe --operation DescribeConfigs \
  --operation Write --topic "$LEDGER_TOPIC"
allow ledger-admin --operation Create --operation Describe --operation DescribeConfigs \
  --operation Read --topic "$LEDGER_TOPIC.dlq"
allow ledger-admin --operation Create --operation Describe --operation DescribeConfigs \
  --topic "$LEDGER_APP_ID-" --resource-pattern-type prefixed

echo "kafka-setup: SCRAM users and ACLs are in place"
