#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis, Chromium and poppler are there and running, installing from Debian packages
# what is missing. Idempotent: about a third of a second when everything is already up.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# The reverse proxy of the two-node test and bench (tests/noeuds, bench/bench_noeuds.py).
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
fc-list 2>/dev/null | grep -qi "liberation" || need+=(fonts-liberation2)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Paquets manquants : ${need[*]} (à installer en root avec apt-get)." >&2
    exit 1
  fi
  echo "Installation des paquets Debian : ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$ver" ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$ver" main >/dev/null
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster "$ver" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
# The role works with trust and with password (scram) authentication alike.
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'avenirpro') THEN
      CREATE ROLE avenirpro LOGIN CREATEDB PASSWORD 'avenirpro';
    END IF; END \$\$;" >/dev/null
  runuser -u postgres -- psql -tAq -c "SELECT 1 FROM pg_database WHERE datname = 'avenirpro'" | grep -q 1 \
    || runuser -u postgres -- createdb -O avenirpro avenirpro
fi

# Redis
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/avenirpro.log
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
echo "Services prêts : PostgreSQL $(pg_isready -h 127.0.0.1 -p 5432 | cut -d' ' -f3-), Redis $(redis-cli -h 127.0.0.1 ping)."
