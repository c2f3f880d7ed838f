#!/usr/bin/env bash
# Installs the Debian packages the gateway needs to build, run and test, if missing.
# Idempotent: a machine that has them all makes no network call.
set -euo pipefail

packages=(
    libsqlite3-dev            # the embedded default store
    libpq-dev                 # the PostgreSQL client library (multi-host deployments)
    postgresql                # the server the tests start a throwaway cluster of
    libcurl4-openssl-dev      # upstream HTTP to the providers
    tzdata                    # time zones for usage statistics (read from /usr/share/zoneinfo)
    python3 python3-venv      # the OpenAI SDK test (its venv installs `openai` from PyPI)
    nginx fcgiwrap            # the real web server and CGI wrapper the tests start
    apache2 lighttpd caddy    # the other web servers the deploy/ templates are tested with
    prometheus                # promtool, which checks what /metrics exposes
    wrk                       # the load of the memory soak test (and the benchmarks)
    iproute2                  # network namespaces: the multi-host test's hosts
    libjs-chart.js            # the console's charts (served from /usr/share/javascript/chart.js)
    chromium chromium-driver  # the real browser the console tests drive (headless, through selenium)
    fonts-dejavu-core         # text in the browser's screenshots
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    # policy-rc.d 101: do not start the packaged nginx on port 80; the tests start their own.
    if [ -z "$sudo" ] && [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "error: no Swift 6 toolchain on PATH (this machine image ships one in /opt/swift/usr/bin)" >&2
    exit 1
fi
