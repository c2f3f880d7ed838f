#!/usr/bin/env bash
# Per-request cost, side by side in one run against one shared mock OpenAI upstream on loopback:
#   direct     the mock itself
#   fastcgi    v1-chat as a FastCGI worker behind nginx (chat completions)
#   messages   the same worker answering Anthropic Messages requests (translated)
#   cgi        v1-chat as CGI through fcgiwrap behind nginx
#   litellm    LiteLLM's proxy (pinned version, from PyPI into a venv under the run's temp dir; no database)
# Non-streaming and streaming (20 chunks), concurrency 1 and 16: req/s, p50/p99 (wrk), time to first
# token (sequential streams), resident memory; then the CGI CPU per request (CPU 1's busy time per
# request, from /proc/stat) on the fresh database and again after ROWS more usage rows were written through a
# FastCGI worker. The CGI path has a database of its own that no worker holds open, as in a CGI-only
# deployment (a process that opens the file alone rebuilds SQLite's log index). Pinned: the gateway (nginx, worker, fcgiwrap and its CGI processes) or LiteLLM on
# CPU 1, the mock and wrk on CPU 0.
# Usage: [SCRATCH_PATH=.build-static] Benchmarks/compare.sh [seconds per row, default 8] [rows, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
SECONDS_PER_RUN=${1:-8}
ROWS=${2:-100000}
LITELLM_VERSION=1.106.2
for tool in wrk nginx fcgiwrap; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx fcgiwrap python3-venv >/dev/null
done
# SCRATCH_PATH: build elsewhere than .build (a test build there is not static, and each would rebuild the other).
BUILD=(-c release --static-swift-stdlib --scratch-path "${SCRATCH_PATH:-.build}")
swift build "${BUILD[@]}" >/dev/null
BIN=$(swift build "${BUILD[@]}" --show-bin-path)
source Benchmarks/common.sh

echo "== setting up: LiteLLM $LITELLM_VERSION from PyPI"
python3 -m venv "$WORK/litellm"
"$WORK/litellm/bin/pip" install --quiet --disable-pip-version-check "litellm[proxy]==$LITELLM_VERSION" >"$WORK/pip.log" 2>&1 \
    || { tail -20 "$WORK/pip.log" >&2; exit 1; }

start_chat_fixture 0
CGI_DB="$WORK/cgi.db"
GATEWAY_DATABASE_URL="sqlite://$CGI_DB" "$BIN/bench-fixture" seed "http://127.0.0.1:$UPORT/v1"
PORT=$(free_port)
setsid taskset -c 1 "$BIN/v1-chat" --fastcgi "$WORK/chat.sock" 2>"$WORK/worker.log" & pids+=($!)
WORKER_PID=$!
setsid taskset -c 1 fcgiwrap -c 4 -s "unix:$WORK/fcgiwrap.sock" 2>/dev/null & pids+=($!)
FCGIWRAP_PID=$!
sleep 0.5
write_nginx_conf <<CONF
  upstream chat { server unix:$WORK/chat.sock; keepalive 32; }
  upstream chat-cgi-db { server unix:$WORK/chat-cgi-db.sock; keepalive 32; }
  server {
    listen 127.0.0.1:$PORT;
    location = /fastcgi { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /v1/chat/completions; fastcgi_buffering off;
                          fastcgi_keep_conn on; fastcgi_pass chat; }
    location = /messages { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /v1/messages; fastcgi_buffering off;
                          fastcgi_keep_conn on; fastcgi_pass chat; }
    location = /cgi { include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $BIN/v1-chat; fastcgi_param PATH_INFO /v1/chat/completions;
                      fastcgi_param GATEWAY_DATABASE_URL sqlite://$CGI_DB; fastcgi_param NO_BUFFERING 1; fastcgi_buffering off;
                      fastcgi_pass unix:$WORK/fcgiwrap.sock; }
    # Only while the rows are written into the CGI path's database.
    location = /fastcgi-cgi-db { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /v1/chat/completions; fastcgi_keep_conn on;
                          fastcgi_pass chat-cgi-db; }
  }
CONF
setsid taskset -c 1 nginx -p "$WORK" -c "$WORK/nginx.conf" & pids+=($!)

body() { echo "{\"model\":\"gpt-4o-mini\",\"stream\":$1,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"; }
# The same request in Anthropic's Messages API (max_tokens is required there).
messages_body() { echo "{\"model\":\"gpt-4o-mini\",\"max_tokens\":256,\"stream\":$1,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"; }
LPORT=$(free_port)
declare -A URL=([direct]="http://127.0.0.1:$UPORT/v1/chat/completions" [fastcgi]="http://127.0.0.1:$PORT/fastcgi"
    [messages]="http://127.0.0.1:$PORT/messages" [cgi]="http://127.0.0.1:$PORT/cgi" [litellm]="http://127.0.0.1:$LPORT/v1/chat/completions")
TARGETS="direct fastcgi messages cgi litellm"
request_body() { [ "$1" = messages ] && messages_body "$2" || body "$2"; }
bearer() { [ "$1" = litellm ] && echo sk-bench-master || echo "$TOKEN"; }
for target in $TARGETS; do
    for stream in false true; do
        cat > "$WORK/post-$target-$stream.lua" <<LUA
wrk.method = "POST"
wrk.body = '$(request_body $target $stream)'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $(bearer $target)"
LUA
    done
done

# Sanity: every gateway path answers 200 before anything is measured (LiteLLM's once it is started).
for target in direct fastcgi messages cgi; do
    code=$(curl -s -o "$WORK/sanity.txt" -w '%{http_code}' -H "Authorization: Bearer $(bearer $target)" -H 'Content-Type: application/json' \
        -d "$(request_body $target false)" "${URL[$target]}")
    [ "$code" = 200 ] || { echo "error: $target answered $code: $(cat "$WORK/sanity.txt")" >&2; tail -20 "$WORK/worker.log" "$WORK/litellm.log" >&2; exit 1; }
done

# CGI CPU per request: CPU 1's busy time (from /proc/stat) over sequential CGI requests. fcgiwrap
# ignores SIGCHLD, so its children's times are accounted to nobody; CPU 1 holds only the gateway
# (the CGI process, fcgiwrap, nginx; the idle FastCGI worker): LiteLLM is not running while it is
# measured, and curl runs on CPU 0.
cpu1_busy_ticks() { awk '/^cpu1 / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
cgi_cpu_ms() {
    local count=$1 ticks before after
    ticks=$(getconf CLK_TCK)
    before=$(cpu1_busy_ticks)
    for _ in $(seq 1 "$count"); do
        taskset -c 0 curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$(body false)" "${URL[cgi]}"
    done
    after=$(cpu1_busy_ticks)
    awk -v b="$before" -v a="$after" -v t="$ticks" -v n="$count" 'BEGIN { printf "%.1f", (a - b) * 1000 / t / n }'
}
usage_rows() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from aggregator_usage_logs').fetchone()[0])" "$CGI_DB"; }
rows_before=$(usage_rows)
cpu_before=$(cgi_cpu_ms 200)
echo "== CGI CPU per request (CPU 1 busy over 200 sequential requests): ${cpu_before} ms with ${rows_before} usage rows"
# LiteLLM: the same model on the same mock, a master key checked on every request like the gateway's token.
cat > "$WORK/litellm.yaml" <<YAML
model_list:
  - model_name: gpt-4o-mini
    litellm_params: { model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:$UPORT/v1", api_key: sk-mock }
general_settings: { master_key: sk-bench-master }
litellm_settings: { drop_params: true, set_verbose: false }
YAML
(cd "$WORK" && LITELLM_LOG=ERROR setsid taskset -c 1 "$WORK/litellm/bin/litellm" --config "$WORK/litellm.yaml" --host 127.0.0.1 \
    --port "$LPORT" --num_workers 1 >"$WORK/litellm.log" 2>&1) & pids+=($!)
for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$LPORT/health/liveliness" && break
    sleep 1
done

code=$(curl -s -o "$WORK/sanity.txt" -w '%{http_code}' -H "Authorization: Bearer sk-bench-master" -H 'Content-Type: application/json' \
    -d "$(body false)" "${URL[litellm]}")
[ "$code" = 200 ] || { echo "error: litellm answered $code: $(cat "$WORK/sanity.txt")" >&2; tail -20 "$WORK/litellm.log" >&2; exit 1; }

echo "== per-request cost: wrk ${SECONDS_PER_RUN}s per row, loopback, $(nproc) cores; gateway or LiteLLM pinned to CPU 1, mock upstream and wrk to CPU 0"
printf "  %-11s %-7s %4s %10s %10s %10s\n" path mode conc "req/s" "p50 ms" "p99 ms"
results="$WORK/results.tsv"
measure() { # target stream concurrency: one wrk row, printed and kept for the ratios
    local target=$1 stream=$2 conc=$3 threads out rps mode
    threads=$(( conc < 2 ? 1 : 2 ))
    # PERF=1: profile the FastCGI worker during the non-streaming c16 run (report in /tmp/gateway-perf.txt).
    if [ "${PERF:-0}" = 1 ] && [ "$target/$stream/$conc" = fastcgi/false/16 ]; then
        (sleep 1; perf record -q -g -p "$WORKER_PID" -o "$WORK/perf.data" -- sleep 3 >/dev/null 2>&1;
         perf report -q --stdio --children --sort symbol -g none -i "$WORK/perf.data" 2>/dev/null | head -150 > /tmp/gateway-perf.txt) &
    fi
    out=$(taskset -c 0 wrk -t$threads -c$conc -d${SECONDS_PER_RUN}s --latency -s "$WORK/post-$target-$stream.lua" "${URL[$target]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    ms() { awk -v p="$1" '$1 == p { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } print v }' <<<"$out"; }
    mode=$([ "$stream" = true ] && echo "stream" || echo "plain")
    printf "  %-11s %-7s %4s %10.0f %10.2f %10.2f\n" "$target" "$mode" "$conc" "$rps" "$(ms 50%)" "$(ms 99%)"
    printf "%s\t%s\t%s\t%s\t%s\t%s\n" "$target" "$mode" "$conc" "$rps" "$(ms 50%)" "$(ms 99%)" >> "$results"
}
for stream in false true; do
    for conc in 1 16; do
        for target in $TARGETS; do measure "$target" "$stream" "$conc"; done
    done
done

echo "== time to first token (200 sequential streaming requests, median / p99)"
taskset -c 0 python3 - "$TOKEN" "${URL[direct]}" "${URL[fastcgi]}" "${URL[messages]}" "${URL[cgi]}" "${URL[litellm]}" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse
token, urls = sys.argv[1], sys.argv[2:]
for name, url in zip(["direct", "fastcgi", "messages", "cgi", "litellm"], urls):
    request = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "Hello"}]}
    if name == "messages":
        request["max_tokens"] = 256
    body = json.dumps(request)
    bearer = "sk-bench-master" if name == "litellm" else token
    parts = urllib.parse.urlsplit(url)
    samples = []
    for _ in range(200):
        connection = http.client.HTTPConnection(parts.hostname, parts.port)
        start = time.perf_counter()
        connection.request("POST", parts.path, body, {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"})
        response = connection.getresponse()
        while True:
            line = response.readline()
            # The first content: a chat chunk's content, or an Anthropic text_delta's text.
            if not line or (line.startswith(b"data: ") and (b'"content":"w' in line or b'"text":"w' in line)):
                break
        samples.append((time.perf_counter() - start) * 1000)
        response.read()
        connection.close()
    samples.sort()
    print(f"  {name:<8} ttft median {statistics.median(samples):6.2f} ms   p99 {samples[int(len(samples) * 0.99) - 1]:6.2f} ms")
PY

rss_of_tree() { # resident KiB of a process and its descendants
    local total=0 pid
    for pid in $1 $(pgrep -P "$1" 2>/dev/null); do total=$(( total + $(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || echo 0) )); done
    echo "$total"
}
worker_rss=$(ps -o rss= -p "$WORKER_PID" | tr -d ' ')
litellm_pid=$(pgrep -f "litellm/bin/litellm --config" | head -1)
litellm_rss=$(rss_of_tree "$litellm_pid")
echo "== resident memory after the runs: FastCGI worker $((worker_rss / 1024)) MiB, LiteLLM $((litellm_rss / 1024)) MiB"

kill "$litellm_pid" 2>/dev/null || true
# ROWS more rows in the CGI path's database, written the way production writes them: requests through a
# FastCGI worker on that database, stopped afterwards so that again no worker holds the file open.
GATEWAY_DATABASE_URL="sqlite://$CGI_DB" setsid taskset -c 1 "$BIN/v1-chat" --fastcgi "$WORK/chat-cgi-db.sock" 2>"$WORK/worker-cgi-db.log" & pids+=($!)
ROWS_WORKER_PID=$!
sleep 0.5
taskset -c 0 python3 - "http://127.0.0.1:$PORT/fastcgi-cgi-db" "$TOKEN" "$ROWS" "$(body false)" <<'PY'
import http.client, sys, threading, urllib.parse
url, token, total, body = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
parts = urllib.parse.urlsplit(url)
lock, sent = threading.Lock(), [0]
def run():
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    while True:
        with lock:
            if sent[0] >= total:
                return
            sent[0] += 1
        connection.request("POST", parts.path, body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        connection.getresponse().read()
threads = [threading.Thread(target=run) for _ in range(16)]
for thread in threads: thread.start()
for thread in threads: thread.join()
PY
worker_rss_after=$(ps -o rss= -p "$ROWS_WORKER_PID" | tr -d ' ')
kill -TERM "$ROWS_WORKER_PID"
wait "$ROWS_WORKER_PID" || true
rows_after=$(usage_rows)
echo "== FastCGI worker resident memory after $((rows_after - rows_before)) requests: $((worker_rss_after / 1024)) MiB"
cpu_after=$(cgi_cpu_ms 200)
wal=$(stat -c %s "$CGI_DB-wal" 2>/dev/null || echo 0)
echo "== CGI CPU per request (CPU 1 busy over 200 sequential requests): ${cpu_after} ms with ${rows_after} usage rows (WAL $((wal / 1024)) KiB)"

# The same worker and CGI process on PostgreSQL (Debian's server, a cluster of this run's own on a Unix
# socket, pinned to CPU 0 with the mock: the database is another machine's work, its round trips are not).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$PG_BIN" ]; then
    # initdb and postgres refuse to run as root: as Debian's `postgres` user then.
    as_postgres=(); [ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)
    mkdir -p "$WORK/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$WORK/pg"; }
    "${as_postgres[@]}" "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >"$WORK/pg/initdb.log"
    setsid taskset -c 0 "${as_postgres[@]}" "$PG_BIN/postgres" -D "$WORK/pg/data" -k "$WORK/pg" -c listen_addresses= \
        -c max_connections=100 >"$WORK/pg/server.log" 2>&1 & pids+=($!)
    for _ in $(seq 1 50); do "$PG_BIN/pg_isready" -q -h "$WORK/pg" && break; sleep 0.2; done
    "$PG_BIN/psql" -q -h "$WORK/pg" -U postgres -c "CREATE ROLE gateway LOGIN NOSUPERUSER NOBYPASSRLS" -c "CREATE DATABASE gateway OWNER gateway"
    PG_URL="postgres://gateway@localhost/gateway?host=$WORK/pg"
    GATEWAY_DATABASE_URL="$PG_URL" "$BIN/bench-fixture" seed "http://127.0.0.1:$UPORT/v1"
    GATEWAY_DATABASE_URL="$PG_URL" setsid taskset -c 1 "$BIN/v1-chat" --fastcgi "$WORK/chat-pg.sock" 2>"$WORK/worker-pg.log" & pids+=($!)
    PG_WORKER_PID=$!
    PGPORT_HTTP=$(free_port)
    sleep 0.5
    sed -e "s|listen 127.0.0.1:$PORT;|listen 127.0.0.1:$PGPORT_HTTP;|" -e "s|unix:$WORK/chat.sock|unix:$WORK/chat-pg.sock|" \
        -e "s|pid $WORK/nginx.pid|pid $WORK/nginx-pg.pid|" \
        -e "s|fastcgi_param NO_BUFFERING 1;|fastcgi_param NO_BUFFERING 1; fastcgi_param GATEWAY_DATABASE_URL $PG_URL;|" \
        "$WORK/nginx.conf" > "$WORK/nginx-pg.conf"
    setsid taskset -c 1 nginx -p "$WORK" -c "$WORK/nginx-pg.conf" & pids+=($!)
    sleep 0.5
    URL[fastcgi-pg]="http://127.0.0.1:$PGPORT_HTTP/fastcgi"
    URL[cgi-pg]="http://127.0.0.1:$PGPORT_HTTP/cgi"
    pg_rows() { "$PG_BIN/psql" -tA -h "$WORK/pg" -U postgres -d gateway -c "SELECT count(*) FROM aggregator_usage_logs"; }
    for target in fastcgi-pg cgi-pg; do
        before=$(pg_rows)
        for stream in false true; do cp "$WORK/post-fastcgi-$stream.lua" "$WORK/post-$target-$stream.lua"; done
        code=$(curl -s -o "$WORK/sanity.txt" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
            -d "$(body false)" "${URL[$target]}")
        [ "$code" = 200 ] || { echo "error: $target answered $code: $(cat "$WORK/sanity.txt")" >&2; tail -20 "$WORK/worker-pg.log" >&2; exit 1; }
        sleep 0.2
        [ "$(pg_rows)" -gt "$before" ] || { echo "error: $target did not write its usage row to PostgreSQL" >&2; exit 1; }
    done
    echo "== on PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') (server on CPU 0, Unix socket)"
    for stream in false true; do
        for conc in 1 16; do
            for target in fastcgi-pg cgi-pg; do measure "$target" "$stream" "$conc"; done
        done
    done
    echo "== FastCGI worker on PostgreSQL, resident memory: $(( $(ps -o rss= -p "$PG_WORKER_PID" | tr -d ' ') / 1024 )) MiB"
else
    echo "== PostgreSQL rows skipped: Debian's postgresql is not installed"
fi

echo "== ratios in this run (p50 added over direct; throughput against LiteLLM's)"
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    target, mode, conc, rps, p50, p99 = line.split("\t")
    rows[(target, mode, conc)] = (float(rps), float(p50), float(p99))
for mode in ["plain", "stream"]:
    for conc in ["1", "16"]:
        direct, litellm = rows[("direct", mode, conc)], rows[("litellm", mode, conc)]
        for target in ["fastcgi", "messages", "cgi", "fastcgi-pg", "cgi-pg", "litellm"]:
            if (target, mode, conc) not in rows:
                continue
            r = rows[(target, mode, conc)]
            print(f"  {target:<11} {mode:<7} c{conc:<3} +{r[1] - direct[1]:7.2f} ms p50 {r[0]:8.0f} req/s"
                  f"  ({r[0] / direct[0]:5.3f}x direct, {r[0] / litellm[0]:6.2f}x LiteLLM)")
PY
