#!/bin/sh
# Scheduled catalogue sync: runs sync-models once, as CGI, with a short-lived service-role token
# (sub "system"). The service role syncs every provider that has a system key (a key stored by a
# service-role caller with sub "system") into the shared catalogue every user reads.
# Needs the gateway's environment (GATEWAY_DATABASE_URL, GATEWAY_ENCRYPTION_KEY, GATEWAY_JWT_SECRET).
# Exits non-zero when no provider could be synced, so cron mails it and systemd marks the unit failed.
set -eu
BIN=${LLM_GATEWAY_BIN:-/opt/llm-gateway/bin}
DATA=${LLM_GATEWAY_DATA:-/var/lib/llm-gateway}
token=$("$BIN/local-runner" token --user system --role service_role --ttl 300 --data-dir "$DATA")
exec "$BIN/local-runner" invoke sync-models --method POST --path / --header "Authorization: Bearer $token" \
    --functions-dir "$BIN" --data-dir "$DATA"
