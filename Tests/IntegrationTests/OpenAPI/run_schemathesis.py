"""Runs schemathesis against local-runner with docs/openapi.yaml and prints what it ran.

Usage: run_schemathesis.py <spec URL> <base URL> <report folder>
Environment, read by schemathesis.toml beside this script: GATEWAY_TEST_TOKEN (a user's access token),
GATEWAY_TEST_SERVICE_TOKEN (a service role's), GATEWAY_TEST_KEY_ID and GATEWAY_TEST_DISPOSABLE_KEY_ID (two
of the user's provider keys). By hand: GATEWAY_SCHEMATHESIS_SEED repeats a run; GATEWAY_SCHEMATHESIS_EXAMPLES
(cases per operation) and GATEWAY_SCHEMATHESIS_SECONDS (the time limit) make a deeper one.

Two passes: every operation a user calls, then the service role's (the provider catalogue, metrics).
In that order, the catalogue entries the second pass makes up (a base_url where nothing listens) serve
no key of the first, whose checks would then be a legitimate 502.
Exits 0 when every check of both passes passed.
"""

import glob
import json
import os
import subprocess
import sys
import time

# The whole run's limit: make test's budget for this step is well under 3 minutes.
TIME_LIMIT_SECONDS = int(os.environ.get("GATEWAY_SCHEMATHESIS_SECONDS", "150"))
SERVICE_ROLE_OPERATIONS = ["createCatalogueEntry", "updateCatalogueEntry", "getMetrics"]


def run_pass(name, selection, spec, base_url, reports, deadline):
    """One schemathesis run; returns (exit status, its JSON report or None)."""
    folder = os.path.join(reports, name)
    os.makedirs(folder, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    command = [
        os.path.join(os.path.dirname(sys.executable), "schemathesis"),
        "--config-file", os.path.join(here, "schemathesis.toml"),
        "--no-color",
        "run", spec,
        "--url", base_url,
        "--report", "json", "--report-dir", folder,
    ] + selection
    if os.environ.get("GATEWAY_SCHEMATHESIS_SEED"):
        command += ["--seed", os.environ["GATEWAY_SCHEMATHESIS_SEED"]]
    if os.environ.get("GATEWAY_SCHEMATHESIS_EXAMPLES"):
        command += ["--max-examples", os.environ["GATEWAY_SCHEMATHESIS_EXAMPLES"]]
    print(f"--- schemathesis, {name}", flush=True)
    try:
        # In the report folder: nothing schemathesis writes lands in the checkout.
        status = subprocess.run(command, cwd=folder, timeout=max(1.0, deadline - time.monotonic())).returncode
    except subprocess.TimeoutExpired:
        print(f"schemathesis did not finish within {TIME_LIMIT_SECONDS} s", flush=True)
        return 1, None
    written = sorted(glob.glob(os.path.join(folder, "json-*.json")))
    if not written:
        return status or 1, None
    with open(written[-1], encoding="utf-8") as file:
        return status, json.load(file)


def main() -> int:
    spec, base_url, reports = sys.argv[1:4]
    started = time.monotonic()
    deadline = started + TIME_LIMIT_SECONDS
    exclude = [flag for operation in SERVICE_ROLE_OPERATIONS for flag in ("--exclude-operation-id", operation)]
    include = [flag for operation in SERVICE_ROLE_OPERATIONS for flag in ("--include-operation-id", operation)]
    passes = [run_pass("user", exclude, spec, base_url, reports, deadline)]
    passes.append(run_pass("service role", include, spec, base_url, reports, deadline))
    elapsed = time.monotonic() - started
    if any(report is None for _, report in passes):
        print("schemathesis: a pass left no report")
        return 1
    operations = sum(report["operations"]["tested"] for _, report in passes)
    total = passes[0][1]["operations"]["total"]
    cases = sum(report["test_cases"]["generated"] for _, report in passes)
    failing = sum(report["test_cases"]["with_failures"] for _, report in passes)
    status = max(status for status, _ in passes)
    seeds = ", ".join(str(report["seed"]) for _, report in passes)
    print(
        f"schemathesis: {operations} of {total} operations, {cases} test cases, {failing} failing,"
        f" {elapsed:.1f} s, seeds {seeds}, exit {status}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
