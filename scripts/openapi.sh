#!/usr/bin/env bash
# npm run openapi: writes docs/openapi.json, generated from the screener's controllers and the
# contract classes (the built screener: run `npm run build` first).
#
#   npm run openapi              rewrite docs/openapi.json
#   npm run openapi -- --check   fail when docs/openapi.json differs from what the code generates
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "${1:-}" in
  -h | --help)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  --check | "") ;;
  *)
    echo "unknown argument $1 (see --help)" >&2
    exit 2
    ;;
esac
[[ -f dist/apps/screener/main.js ]] || { echo "dist/apps/screener/main.js is missing: run npm run build" >&2; exit 1; }
generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
# No Redis or Kafka is needed: the app is made, described and closed, never started.
REDIS_URL=redis://127.0.0.1:1 node dist/apps/screener/main.js --openapi "$generated" >/dev/null
if [[ "${1:-}" == --check ]]; then
  if ! diff -q docs/openapi.json "$generated" >/dev/null 2>&1; then
    echo "docs/openapi.json is not what the controllers generate: run npm run build && npm run openapi" >&2
    diff -u docs/openapi.json "$generated" | head -40 >&2 || true
    exit 1
  fi
  echo "docs/openapi.json is current"
else
  cp "$generated" docs/openapi.json
  echo "wrote docs/openapi.json"
fi
