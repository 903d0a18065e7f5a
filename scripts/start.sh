#!/usr/bin/env bash
# npm start: run the screener against the local stack, loading the bundled sanctions list first.
#
#   npm start
#
# 1. builds (npm run build) when dist/apps/{screener,list-loader}/main.js is missing or older than the
#    sources;
# 2. if nothing answers at KAFKA_BROKERS (default localhost:9092), brings the local stack up and uses
#    its $STACK_DIR/env (KAFKA_BROKERS, REDIS_URL);
# 3. loads the bundled lists (Japan MOF: names and addresses; OFAC SDN: addresses and names; UN
#    consolidated: names), each only if Redis holds no version of it yet (list-loader --if-empty);
# 4. makes a development key for the screening API when SCREENING_API_KEYS is not set, and prints
#    how to use it;
# 5. replaces itself with the screener, in the foreground, so Ctrl-C and SIGTERM reach it directly.
# Every other setting is read by the apps themselves (libs/config).
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
cli_no_arguments "$@"
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
cd "$REPO_ROOT"

readonly BUNDLED_LISTS=(
  data/sanctions/jp-mof/shisantouketsu20260305.xlsx
  data/sanctions/ofac/sdn_advanced-2025-11-19.xml.bz2
  data/sanctions/un/un-consolidated-2025-11-20.xml
)

[[ -d node_modules ]] || die "node_modules is missing; run: npm ci"

if needs_build dist/apps/screener/main.js || needs_build dist/apps/list-loader/main.js; then
  say "start: building (sources changed since the last build)"
  npm run --silent build
fi

export KAFKA_BROKERS="${KAFKA_BROKERS:-localhost:9092}"
if kafka_answers "$KAFKA_BROKERS"; then
  # Kafka is someone's already; take the stack's Redis only if the caller named none.
  [[ -n "${REDIS_URL:-}" ]] || load_env_file "$STACK_DIR/env" || true
else
  say "start: no Kafka answers at $KAFKA_BROKERS; bringing up the local stack"
  bash scripts/stack/up.sh
  load_env_file "$STACK_DIR/env" --override
fi
say "start: KAFKA_BROKERS=$KAFKA_BROKERS REDIS_URL=${REDIS_URL:-<app default>}"

for list in "${BUNDLED_LISTS[@]}"; do
  node dist/apps/list-loader/main.js --if-empty "$list"
done
# The screening API needs a key. Without one configured, a development key is made once (kept in
# $STACK_DIR, readable by this user only) and its digest handed to the screener.
if [[ -z "${SCREENING_API_KEYS:-}" ]]; then
  token_file="$STACK_DIR/dev-api-token"
  if [[ ! -s "$token_file" ]]; then
    (umask 077 && node -e 'process.stdout.write("dev-" + require("crypto").randomBytes(24).toString("hex"))' >"$token_file")
  fi
  SCREENING_API_KEYS="$(node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1], "utf8")).digest("hex"))' "$token_file")"
  export SCREENING_API_KEYS
  say "start: screening API development key (SCREENING_API_KEYS was not set): $token_file"
  say "       curl -s -H \"Authorization: Bearer \$(cat $token_file)\" http://${HTTP_HOST:-127.0.0.1}:${HTTP_PORT:-3000}/v1/addresses/ethereum/0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9"
fi
# Two malloc arenas, as the image sets them (docker/Dockerfile): an operator's own value wins.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node dist/apps/screener/main.js
