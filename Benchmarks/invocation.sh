#!/usr/bin/env bash
# Invocation-contract benchmarks; prints figures, each beside a baseline from the same run.
#  1. start-up: a function executable serving one CGI request vs /bin/true (hyperfine, median)
#  2. throughput behind nginx (wrk, loopback): nginx's own static response vs a trivial FastCGI
#     handler (kept connections, as deploy/nginx does, and a connection per request) vs CGI via fcgiwrap
# Usage: Benchmarks/invocation.sh   (builds the release executables first)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
for tool in hyperfine wrk nginx fcgiwrap; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine wrk nginx fcgiwrap >/dev/null
done
swift build -c release --static-swift-stdlib >/dev/null
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
source Benchmarks/common.sh

echo "== start-up: one CGI request (GET /v1/models on v1-chat), median of 500 runs"
export REQUEST_METHOD=GET PATH_INFO=/v1/models GATEWAY_LOG_LEVEL=error
hyperfine -N --warmup 50 --runs 500 --export-json "$WORK/startup.json" /bin/true "$BIN/v1-chat" "$BIN/invocation-probe" >/dev/null
python3 - "$WORK/startup.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
for r in results:
    print(f"  {r['command'].split('/')[-1]:<20} median {r['median']*1000:6.2f} ms  mean {r['mean']*1000:6.2f} ms  ({r['median']/base:5.1f}x /bin/true)")
PY
unset REQUEST_METHOD PATH_INFO

echo "== throughput behind nginx: wrk -t2 -c8 -d8s, loopback"
PORT=$(free_port)
mkdir -p "$WORK/html" && echo '{"ok":true}' > "$WORK/html/static.json"
setsid "$BIN/invocation-probe" --fastcgi "$WORK/probe.sock" 2>/dev/null & pids+=($!)
setsid fcgiwrap -c 2 -s "unix:$WORK/fcgiwrap.sock" 2>/dev/null & pids+=($!)
sleep 0.5
write_nginx_conf <<CONF
  upstream probe_kept { server unix:$WORK/probe.sock; keepalive 16; }
  server {
    listen 127.0.0.1:$PORT;
    location = /static.json { root $WORK/html; }
    location = /fastcgi-kept { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /echo; fastcgi_keep_conn on; fastcgi_pass probe_kept; }
    location = /fastcgi { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /echo; fastcgi_pass unix:$WORK/probe.sock; }
    location = /cgi { include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $BIN/invocation-probe; fastcgi_param PATH_INFO /echo; fastcgi_param GATEWAY_LOG_LEVEL error; fastcgi_pass unix:$WORK/fcgiwrap.sock; }
  }
CONF
setsid nginx -p "$WORK" -c "$WORK/nginx.conf" & pids+=($!)
sleep 0.5
declare -A rps
for path in static.json fastcgi-kept fastcgi cgi; do
    rps[$path]=$(wrk -t2 -c8 -d8s "http://127.0.0.1:$PORT/$path" | awk '/Requests\/sec/ {print $2}')
done
for path in static.json fastcgi-kept fastcgi cgi; do
    python3 -c "import sys; r=float(sys.argv[2]); b=float(sys.argv[3]); print(f'  {sys.argv[1]:<28} {r:10.0f} req/s  ({r/b:5.2f}x nginx static)')" \
        "$path" "${rps[$path]}" "${rps[static.json]}"
done
