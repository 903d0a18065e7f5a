#!/usr/bin/env bash
# Make a throw-away certificate authority and a server certificate for 127.0.0.1 / localhost.
#
#   bash scripts/stack/tls.sh DIR
#
# Writes into DIR (kept when present and valid for another day, so a restart reuses them):
#   ca.pem ca.key          the CA that clients trust (KAFKA_SSL_CA_FILE, REDIS_TLS_CA_FILE)
#   server.pem server.key  the server's certificate (signed by the CA) and its unencrypted key
#   server.p12             the same as a PKCS12 keystore, for the Kafka broker
#   keystore.password      the keystore's password
# For the local stack and the tests only: the CA's key lies next to its certificate.
set -euo pipefail

dir="${1:?usage: tls.sh DIR}"
command -v openssl >/dev/null 2>&1 || {
  echo "error: openssl is needed to make the local stack's certificates: sudo apt-get install -y openssl" >&2
  exit 1
}
mkdir -p "$dir"
cd "$dir"

if [[ -s server.p12 && -s ca.pem ]] && openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1; then
  exit 0
fi
umask 077
rm -f ca.* server.* keystore.password
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=sekimori local CA" \
  -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
  -extfile server.ext -out server.pem 2>/dev/null
openssl rand -hex 16 >keystore.password
openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name server \
  -out server.p12 -passout "file:keystore.password"
rm -f server.csr server.ext ca.srl
# Readable by the processes of this user only; the CA certificate is public anyway.
chmod 644 ca.pem
echo "tls: made a local CA and a server certificate in $dir"
