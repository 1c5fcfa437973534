#!/usr/bin/env bash
# Serves the app with two Celery workers: the quick tasks (beat embedded) and, apart, the long imports and
# exports (queue «longues», ADR 0011); Ctrl-C stops everything it started.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/broker/out var/broker/processed var/broker/control var/results
.venv/bin/python -m celery -A avenirpro worker -B -l warning --concurrency 1 -Q celery -n rapide@%h \
  --schedule var/celerybeat-schedule --pidfile= &
worker=$!
.venv/bin/python -m celery -A avenirpro worker -l warning --concurrency 1 -Q longues -n longues@%h --pidfile= &
worker_longues=$!
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
web=$!
arreter() {
  trap - INT TERM EXIT
  pkill -TERM -P "$web" 2>/dev/null
  kill -TERM "$web" "$worker" "$worker_longues" 2>/dev/null
  wait "$web" "$worker" "$worker_longues" 2>/dev/null
  echo "AvenirPro+ arrêté."
  exit 0
}
trap arreter INT TERM EXIT
echo
echo "AvenirPro+ : http://127.0.0.1:8000  (Ctrl-C pour arrêter)"
wait "$web"
