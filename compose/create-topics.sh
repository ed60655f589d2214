#!/bin/bash
# Creates every topic of the contract (events/src/main/java/io/strideback/events/Topic.java) and its
# DLQ on the compose broker, with the partitions and retention of k8s/base/kafka/topics.yaml (the
# reasons are written there; deploy-tests keeps the two equal). Idempotent: run by the kafka-init
# service of docker-compose.yml on every `docker compose up`.
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
TOPICS=/opt/kafka/bin/kafka-topics.sh

create() { # name partitions retention.ms
  "$TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" \
    --partitions "$2" --replication-factor 1 --config retention.ms="$3" --config cleanup.policy=delete
}

create strideback.athlete-activity.v1 12 -1
create strideback.athlete-activity.v1.dlq 1 -1
create strideback.load-findings.v1 6 2592000000
create strideback.load-findings.v1.dlq 1 2592000000
create strideback.plan-adjustments.v1 12 2592000000
create strideback.plan-adjustments.v1.dlq 1 2592000000
create strideback.plan-events.v1 6 7776000000
create strideback.plan-events.v1.dlq 1 2592000000

"$TOPICS" --bootstrap-server "$BOOTSTRAP" --list
