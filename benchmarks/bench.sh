#!/usr/bin/env bash
# `make bench`: every figure of benchmarks/RESULTS.md, in one run, on this machine.
#
#   make bench                          # full sizes: about an hour and a half on 2 cores
#   make bench BENCH_FRACTION=0.1       # the scale data at a tenth, for a quick look
#
# PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sendadmin_bench) and
# Redis from REDIS_URL (default redis://127.0.0.1:6379/9). Only scratch databases whose names
# start with that name are created and dropped; the one DATABASE_URL names is never written.
# Each step writes its table to var/bench/<step>.md (and every sample to <step>.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
BASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sendadmin_bench}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/9}
FRACTION=${BENCH_FRACTION:-1}
OUT=${BENCH_OUT:-var/bench}
mkdir -p "$OUT"

step() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)" >&2; }

step "machine"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cores: $(nproc); memory: $(free -g | awk '/^Mem/ {print $2}') GB"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "python: $($PY -c 'import platform; print(platform.python_version())')"
  echo "postgresql: $($PY -c "import psycopg; c = psycopg.connect('$BASE_URL'.rsplit('/', 1)[0] + '/postgres'); print(c.execute('show server_version').fetchone()[0])")"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "scale fraction: $FRACTION"
} | tee "$OUT/machine.txt"

step "MIS import and SEN register (benchmarks/run.py)"
DATABASE_URL=$BASE_URL $PY -m benchmarks.run --json "$OUT/register.json" | tee "$OUT/register.md"

step "EHC plan PDF and register export (benchmarks/documents.py)"
DATABASE_URL=$BASE_URL $PY -m benchmarks.documents --json "$OUT/documents.json" | tee "$OUT/documents.md"

step "county profile: seed_scale --profile county --fraction $FRACTION"
COUNTY_URL=${BASE_URL}_county
$PY -m benchmarks.dbs recreate "$COUNTY_URL"
DATABASE_URL=$COUNTY_URL $PY manage.py migrate --no-input -v0
DATABASE_URL=$COUNTY_URL $PY manage.py seed_scale --profile county --fraction "$FRACTION" \
  | tee "$OUT/seed-county.txt"

step "load per role at 50 users against gunicorn (benchmarks/load)"
DATABASE_URL=$COUNTY_URL $PY -m benchmarks.load --profile scale --json "$OUT/load.json" \
  | tee "$OUT/load.md"

step "the clock sweep over the national profile, then twice the stored data (benchmarks/sweep.py)"
NATIONAL_URL=${BASE_URL}_national
$PY -m benchmarks.dbs recreate "$NATIONAL_URL"
DATABASE_URL=$NATIONAL_URL $PY manage.py migrate --no-input -v0
DATABASE_URL=$BASE_URL $PY -m benchmarks.sweep --database-url "$NATIONAL_URL" --seed \
  --fraction "$FRACTION" --enqueue --drop-double --json "$OUT/sweep.json" | tee "$OUT/sweep.md"

step "done: the tables are in $OUT/"
