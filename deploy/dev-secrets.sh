#!/usr/bin/env bash
# Development certificates and credentials for docker-compose.yml, made with openssl.
#
#   deploy/dev-secrets.sh [DIR]     (DIR defaults to deploy/secrets, which git ignores)
#
# Makes a throwaway CA; for each broker (kafka-1..3) and for the cluster admin a key
# and certificate signed by it, as a PKCS12 keystore with its password file and a
# client.properties for Kafka's own tools; and a random password for each SASL/SCRAM
# principal (ledger, ledger-admin, emitter) and for Grafana's admin. Runs once: an
# existing DIR is left alone (delete it to start over, then recreate the stack's
# volumes: the brokers keep the SCRAM credentials made from the old passwords).
# For production, put certificates from your own CA in the same layout instead.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
days=825
nodes=(kafka-1 kafka-2 kafka-3 admin)
principals=(ledger ledger-admin emitter grafana-admin)

if [[ -e "$out/ca.crt" ]]; then
  echo "dev-secrets: $out already has secrets; delete it to make new ones"
  exit 0
fi

umask 077
mkdir -p "$out"
chmod 700 "$out"

new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

make_ca() {
  new_key "$out/ca.key"
  openssl req -x509 -new -key "$out/ca.key" -days "$days" -out "$out/ca.crt" \
    -subj "/CN=partnership-ledger development CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
}

# A certificate whose subject is CN=<name> (the broker maps it to User:<name>) and
# whose SANs are the compose service name and localhost (its own health check).
sign() {
  local name=$1 dir=$2
  new_key "$dir/key.pem"
  openssl req -new -key "$dir/key.pem" -subj "/CN=$name" -out "$dir/req.csr"
  openssl x509 -req -in "$dir/req.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -CAcreateserial -days "$days" -out "$dir/cert.pem" -extfile <(
      printf 'subjectAltName=DNS:%s,DNS:localhost\n' "$name"
      printf 'keyUsage=critical,digitalSignature\n'
      printf 'extendedKeyUsage=serverAuth,clientAuth\n'
    ) 2>/dev/null
  rm "$dir/req.csr"
}

# What the apache/kafka image reads from /etc/kafka/secrets, plus a client
# configuration that authenticates as this certificate's principal over mTLS.
keystore() {
  local name=$1 dir="$out/$1"
  mkdir -p "$dir"
  sign "$name" "$dir"
  openssl rand -hex 24 >"$dir/keystore-password"
  openssl pkcs12 -export -name "$name" -in "$dir/cert.pem" -inkey "$dir/key.pem" \
    -certfile "$out/ca.crt" -passout "file:$dir/keystore-password" \
    -out "$dir/kafka.keystore.p12"
  cp "$out/ca.crt" "$dir/ca.crt"
  cat >"$dir/client.properties" <<EOF
security.protocol=SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=/etc/kafka/secrets/kafka.keystore.p12
ssl.keystore.password=$(cat "$dir/keystore-password")
ssl.key.password=$(cat "$dir/keystore-password")
ssl.truststore.type=PEM
ssl.truststore.location=/etc/kafka/secrets/ca.crt
EOF
}

make_ca
for node in "${nodes[@]}"; do
  keystore "$node"
done
for principal in "${principals[@]}"; do
  # Hex only: kafka-configs' SCRAM syntax ([password=...]) has no escaping.
  openssl rand -hex 24 >"$out/$principal.password"
done

# Containers run as their own users (Kafka 1000, the ledger 10001, Grafana 472) and
# compose mounts these files as they are: readable inside, while the 0700 folder
# keeps other users of this machine out. The CA key never leaves this folder.
chmod -R a+rX "$out"
chmod 700 "$out"
chmod 600 "$out/ca.key" "$out"/*/key.pem
rm -f "$out/ca.srl"
echo "dev-secrets: made $out (CA, keystores for ${nodes[*]}, passwords for ${principals[*]})"
