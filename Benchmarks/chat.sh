#!/usr/bin/env bash
# v1-chat end to end, side by side in one run: a mock OpenAI upstream on loopback called directly,
# through v1-chat as a FastCGI worker behind nginx, and through v1-chat as CGI (fcgiwrap) behind
# nginx, the same worker answering Anthropic Messages requests (`messages`: translated from the
# OpenAI upstream's answer), and v1-chat as CGI (fcgiwrap) behind nginx; non-streaming and
# streaming (20 chunks); concurrency 1 and 16. Prints req/s, p50/p99
# latency (wrk), time to first token (sequential streaming requests) and the FastCGI worker's RSS.
# Usage: Benchmarks/chat.sh [seconds per run, default 6]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
SECONDS_PER_RUN=${1:-6}
for tool in wrk nginx fcgiwrap; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx fcgiwrap >/dev/null
done
swift build -c release --static-swift-stdlib >/dev/null
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
source Benchmarks/common.sh

# Pinned: the gateway (nginx, the worker, fcgiwrap and its CGI processes) on CPU 1; the mock upstream and wrk on CPU 0.
start_chat_fixture 0
PORT=$(free_port)
setsid taskset -c 1 "$BIN/v1-chat" --fastcgi "$WORK/chat.sock" 2>"$WORK/worker.log" & pids+=($!)
WORKER_PID=$!
setsid taskset -c 1 fcgiwrap -c 4 -s "unix:$WORK/fcgiwrap.sock" 2>/dev/null & pids+=($!)
sleep 0.5
write_nginx_conf <<CONF
  upstream chat { server unix:$WORK/chat.sock; keepalive 32; }
  server {
    listen 127.0.0.1:$PORT;
    location = /fastcgi { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /v1/chat/completions; fastcgi_buffering off;
                          fastcgi_keep_conn on; fastcgi_pass chat; }
    location = /messages { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO /v1/messages; fastcgi_buffering off;
                          fastcgi_keep_conn on; fastcgi_pass chat; }
    location = /cgi { include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $BIN/v1-chat; fastcgi_param PATH_INFO /v1/chat/completions;
                      fastcgi_param NO_BUFFERING 1; fastcgi_buffering off; fastcgi_pass unix:$WORK/fcgiwrap.sock; }
  }
CONF
setsid taskset -c 1 nginx -p "$WORK" -c "$WORK/nginx.conf" & pids+=($!)
sleep 0.5

body() { echo "{\"model\":\"gpt-4o-mini\",\"stream\":$1,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"; }
# The same request in Anthropic's Messages API (max_tokens is required there).
messages_body() { echo "{\"model\":\"gpt-4o-mini\",\"max_tokens\":256,\"stream\":$1,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"; }
for stream in false true; do
    for api in chat messages; do
        cat > "$WORK/post-$api-$stream.lua" <<LUA
wrk.method = "POST"
wrk.body = '$([ $api = chat ] && body $stream || messages_body $stream)'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
    done
done
declare -A URL=([direct]="http://127.0.0.1:$UPORT/v1/chat/completions" [fastcgi]="http://127.0.0.1:$PORT/fastcgi"
    [messages]="http://127.0.0.1:$PORT/messages" [cgi]="http://127.0.0.1:$PORT/cgi")
TARGETS="direct fastcgi messages cgi"
request_body() { [ "$1" = messages ] && messages_body "$2" || body "$2"; }

# Sanity: every path answers 200 before anything is measured.
for target in $TARGETS; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$(request_body $target false)" "${URL[$target]}")
    [ "$code" = 200 ] || { echo "error: $target answered $code" >&2; cat "$WORK/worker.log" >&2; exit 1; }
done

echo "== v1-chat benchmark: wrk ${SECONDS_PER_RUN}s per row, loopback, $(nproc) cores; gateway pinned to CPU 1, mock upstream and wrk to CPU 0"
printf "  %-8s %-10s %4s %10s %10s %10s\n" path mode conc "req/s" "p50 ms" "p99 ms"
results="$WORK/results.tsv"
for stream in false true; do
    for conc in 1 16; do
        for target in $TARGETS; do
            threads=$(( conc < 2 ? 1 : 2 ))
            # PERF=1: profile the FastCGI worker during the non-streaming c16 run (report in /tmp/gateway-perf.txt).
            if [ "${PERF:-0}" = 1 ] && [ "$target/$stream/$conc" = fastcgi/false/16 ]; then
                (sleep 1; perf record -q -g -p "$WORKER_PID" -o "$WORK/perf.data" -- sleep 3 >/dev/null 2>&1;
                 perf report -q --stdio --children --sort symbol -g none -i "$WORK/perf.data" 2>/dev/null | head -150 > /tmp/gateway-perf.txt) &
            fi
            out=$(taskset -c 0 wrk -t$threads -c$conc -d${SECONDS_PER_RUN}s --latency -s "$WORK/post-$([ $target = messages ] && echo messages || echo chat)-$stream.lua" "${URL[$target]}")
            rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
            ms() { awk -v p="$1" '$1 == p { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } print v }' <<<"$out"; }
            mode=$([ "$stream" = true ] && echo "stream" || echo "plain")
            printf "  %-8s %-10s %4s %10.0f %10.2f %10.2f\n" "$target" "$mode" "$conc" "$rps" "$(ms 50%)" "$(ms 99%)"
            printf "%s\t%s\t%s\t%s\t%s\t%s\n" "$target" "$mode" "$conc" "$rps" "$(ms 50%)" "$(ms 99%)" >> "$results"
        done
    done
done

echo "== time to first token (200 sequential streaming requests, median / p99)"
taskset -c 0 python3 - "$TOKEN" "${URL[direct]}" "${URL[fastcgi]}" "${URL[messages]}" "${URL[cgi]}" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse
token, urls = sys.argv[1], sys.argv[2:]
for name, url in zip(["direct", "fastcgi", "messages", "cgi"], urls):
    request = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "Hello"}]}
    if name == "messages":
        request["max_tokens"] = 256
    body = json.dumps(request)
    parts = urllib.parse.urlsplit(url)
    samples = []
    for _ in range(200):
        connection = http.client.HTTPConnection(parts.hostname, parts.port)
        start = time.perf_counter()
        connection.request("POST", parts.path, body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
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

rss=$(ps -o rss= -p "$WORKER_PID" | tr -d ' ')
echo "== FastCGI worker resident memory after the runs: $((rss / 1024)) MiB ($rss KiB)"
echo "== added latency (p50, gateway minus direct) and throughput vs direct"
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    target, mode, conc, rps, p50, p99 = line.split("\t")
    rows[(target, mode, conc)] = (float(rps), float(p50), float(p99))
for mode in ["plain", "stream"]:
    for conc in ["1", "16"]:
        direct = rows[("direct", mode, conc)]
        for target in ["fastcgi", "messages", "cgi"]:
            r = rows[(target, mode, conc)]
            print(f"  {target:<8} {mode:<7} c{conc:<3} +{r[1] - direct[1]:6.2f} ms p50   {r[0]:8.0f} req/s ({r[0] / direct[0]:4.2f}x direct)")
PY
