#!/usr/bin/env bash
# Run the portal with everything it needs on this machine; Ctrl-C stops every process.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; source .env; set +a
BIN=.venv/bin
mkdir -p var/celery/queue var/celery/control

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT

port="${CODELOCKS_API_URL##*:}"
$BIN/python -m codelocks.sandbox --host 127.0.0.1 --port "${port%%/*}" \
  --api-key "$CODELOCKS_API_KEY" --plan "$CODELOCKS_PLAN" \
  --k3-accesskey "$SANDBOX_K3_ACCESSKEY" --state-file var/sandbox-state.json &
$BIN/celery -A config worker --loglevel INFO --concurrency 2 &
$BIN/celery -A config beat --loglevel INFO &
echo
echo "Keyhouse: http://127.0.0.1:8000  (users admin, manager, staff; password keyhouse-demo)"
echo "K3Connect sandbox access key for linking an account: $SANDBOX_K3_ACCESSKEY"
echo
$BIN/python manage.py runserver 127.0.0.1:8000 &
wait -n
