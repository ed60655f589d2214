#!/bin/bash
# Generates the secrets docker-compose.yml needs into .env next to it (never committed: .gitignore),
# keeping any value already there: Grafana's admin password, each service's Kafka password and intake's
# personal-data master key (issue 16). `docker compose up` refuses to start while one is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
touch .env
chmod 600 .env
for name in GRAFANA_ADMIN_PASSWORD KAFKA_PASSWORD_INTAKE KAFKA_PASSWORD_LOAD_MONITOR KAFKA_PASSWORD_PLAN; do
  if ! grep -q "^$name=" .env; then
    echo "$name=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .env
    echo "generated $name in .env"
  fi
done
# Issue 16 item 3: the master key wrapping every athlete's data key (crypto-shredding), base64 of 32 random
# bytes. Keep it with the database: without it no stored data key opens.
if ! grep -q "^STRIDEBACK_PERSONAL_DATA_MASTER_KEY=" .env; then
  echo "STRIDEBACK_PERSONAL_DATA_MASTER_KEY=$(head -c 32 /dev/urandom | base64)" >> .env
  echo "generated STRIDEBACK_PERSONAL_DATA_MASTER_KEY in .env"
fi
echo "Grafana: http://localhost:3000, user admin, password: grep GRAFANA_ADMIN_PASSWORD .env"
