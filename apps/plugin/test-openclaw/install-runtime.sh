#!/usr/bin/env bash
# Installs what the OpenClaw suite runs on: Node 24 (npm package `node@24`) and openclaw@2026.9.6,
# into apps/plugin/test-openclaw/.runtime (or $BOTSCHAT_OPENCLAW_RUNTIME). Idempotent: does nothing
# when both are there already. Needs only the npm registry.
set -euo pipefail
VERSION=2026.9.6
DIR="${BOTSCHAT_OPENCLAW_RUNTIME:-$(cd "$(dirname "$0")" && pwd)/.runtime}"
NODE="$DIR/node24/node_modules/node/bin/node"
if [[ ! -x "$NODE" ]]; then
  mkdir -p "$DIR/node24"
  (cd "$DIR/node24" && { [[ -f package.json ]] || echo '{"private":true}' >package.json; } &&
    npm i --no-audit --no-fund --loglevel=error node@24 </dev/null >/dev/null)
fi
OC="$DIR/openclaw/node_modules/openclaw/package.json"
if [[ ! -f "$OC" ]] || ! grep -q "\"version\": \"$VERSION\"" "$OC"; then
  mkdir -p "$DIR/openclaw"
  (cd "$DIR/openclaw" && { [[ -f package.json ]] || echo '{"private":true}' >package.json; } &&
    PATH="$(dirname "$NODE"):$PATH" npm i --no-audit --no-fund --loglevel=error "openclaw@$VERSION" </dev/null >/dev/null)
fi
echo "OpenClaw runtime in $DIR: node $("$NODE" --version), openclaw $VERSION"
