#!/bin/bash
# Generates the secrets docker-compose.yml needs into .env next to it (never committed: .gitignore),
# keeping any value already there: Grafana's admin password and each service's Kafka password
# (issue 16). `docker compose up` refuses to start while one is missing.
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
echo "Grafana: http://localhost:3000, user admin, password: grep GRAFANA_ADMIN_PASSWORD .env"
