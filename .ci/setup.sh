#!/usr/bin/env bash
# Prepare a Debian machine for `make test`: system packages, PostgreSQL, Redis and the virtualenv.
# Idempotent: every step checks first, so a second run only verifies.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
STAMP="$VENV/.installed-stamp"
PACKAGES=(chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 poppler-utils postgresql redis-server)

log() { echo "setup: $*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. System packages, only those missing.
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "system packages present"
fi

# 2. PostgreSQL.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
fi
for _ in $(seq 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "setup: PostgreSQL did not come up in 30 s" >&2; exit 1; }
# A cluster this script just installed has Debian's password auth on 127.0.0.1; the suite's
# DATABASE_URL has no password, so a freshly provisioned CI machine trusts loopback connections.
if [[ " ${missing[*]-} " == *" postgresql "* ]] \
  && ! psql -h 127.0.0.1 -U postgres -d postgres -w -tAc 'SELECT 1' >/dev/null 2>&1; then
  hba="$(ls -d /etc/postgresql/*/main | sort -V | tail -n 1)/pg_hba.conf"
  log "trusting 127.0.0.1 in $hba"
  as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "$(dirname "$(dirname "$hba")")")" main reload
fi
psql -h 127.0.0.1 -U postgres -d postgres -w -tAc 'SELECT 1' >/dev/null \
  || { echo "setup: cannot connect as postgres@127.0.0.1 without a password" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d postgres -w -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'sendadmin'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres -w sendadmin
fi
log "PostgreSQL is accepting connections"

# 3. Redis.
if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" != "PONG" ]; then
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
for _ in $(seq 30); do
  [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] && break
  sleep 1
done
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] \
  || { echo "setup: Redis did not answer PING in 30 s" >&2; exit 1; }
log "Redis answers PING"

# 4. The virtualenv, reinstalled only when pyproject.toml is newer than the stamp.
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  python3 -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  log "installing .[dev] into $VENV"
  "$VENV/bin/python" -m pip install --quiet -e '.[dev]'
  touch "$STAMP"
else
  log "$VENV is up to date with pyproject.toml"
fi
