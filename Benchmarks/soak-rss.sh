#!/usr/bin/env bash
# Memory of a v1-chat FastCGI worker under steady load: nginx in front without FCGI_KEEP_CONN (a
# connection per request, nginx's default), a mock OpenAI upstream, wrk at 16 connections. Prints
# the worker's RSS after start-up and after each stage, and the requests served: RSS must level off,
# not grow with the count. Bounded: STAGES x SECONDS. Pinned: worker and nginx on CPU 1, the rest on 0.
# Usage: Benchmarks/soak-rss.sh [seconds per stage, default 15] [stages, default 6]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
SECONDS_PER_STAGE=${1:-15}
STAGES=${2:-6}
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
done
BUILD=${BUILD:-"-c release --static-swift-stdlib"}
swift build $BUILD >/dev/null
BIN=$(swift build $BUILD --show-bin-path)
source Benchmarks/common.sh

start_chat_fixture 0
PORT=$(free_port)
setsid taskset -c 1 "$BIN/v1-chat" --fastcgi "$WORK/chat.sock" 2>"$WORK/worker.log" & pids+=($!)
WORKER_PID=$!
sleep 0.5
write_nginx_conf <<CONF
  server {
    listen 127.0.0.1:$PORT;
    location = /chat { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /v1/chat/completions; fastcgi_pass unix:$WORK/chat.sock; }
  }
CONF
setsid taskset -c 1 nginx -p "$WORK" -c "$WORK/nginx.conf" & pids+=($!)
sleep 0.5
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
rss() { awk '/VmRSS/ {print $2}' "/proc/$WORKER_PID/status"; }
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}' "http://127.0.0.1:$PORT/chat")
[ "$code" = 200 ] || { echo "error: the worker answered $code" >&2; cat "$WORK/worker.log" >&2; exit 1; }
echo "== v1-chat FastCGI worker RSS under load (no KEEP_CONN, 16 connections, ${SECONDS_PER_STAGE}s per stage)"
printf '%-8s %12s %12s %10s\n' stage requests "total" "RSS KiB"
printf '%-8s %12s %12s %10s\n' start 0 0 "$(rss)"
total=0
for stage in $(seq 1 "$STAGES"); do
    served=$(taskset -c 0 wrk -t 2 -c 16 -d "${SECONDS_PER_STAGE}s" -s "$WORK/post.lua" "http://127.0.0.1:$PORT/chat" \
        | awk '/requests in/ {print $1}')
    total=$((total + served))
    printf '%-8s %12s %12s %10s\n' "$stage" "$served" "$total" "$(rss)"
done
rows=$(python3 - "$WORK/gateway.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(dict(db.execute("SELECT status, COUNT(*) FROM aggregator_usage_logs GROUP BY status").fetchall()))
PY
)
echo "usage rows by status: $rows"
echo "WAL: $(stat -c %s "$WORK/gateway.db-wal" 2>/dev/null || echo 0) bytes"
