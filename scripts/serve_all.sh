#!/usr/bin/env bash
# The web server and the background worker as one unit: both start, and when either stops, or
# Ctrl-C or SIGTERM arrives, both are stopped. For one machine; under systemd or a container
# orchestrator run `make serve` and `make worker` as two services instead (docs/deploy.md).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

"$BIN/gunicorn" config.wsgi -c python:config.gunicorn &
web=$!
"$BIN/python" manage.py run_worker &
worker=$!

stop() {
  trap - INT TERM
  kill -TERM "$web" "$worker" 2>/dev/null
  wait "$web" "$worker" 2>/dev/null
}
trap 'stop; exit 0' INT TERM

# Whichever stops first, the other goes too, and the exit status says the unit did not end cleanly.
wait -n "$web" "$worker"
status=$?
stop
exit $((status == 0 ? 1 : status))
