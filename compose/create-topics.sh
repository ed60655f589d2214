#!/bin/bash
# Creates every topic of the contract (events/src/main/java/io/strideback/events/Topic.java) and its
# DLQ on the compose broker, with the partitions and retention of k8s/base/kafka/topics.yaml (the
# reasons are written there; deploy-tests keeps the two equal). Idempotent: run by the kafka-init
# service of docker-compose.yml on every `docker compose up`.
# Then (issue 16) each service's SCRAM-SHA-512 user with the password compose/secrets.sh generated,
# and its ACLs: every topic has exactly one writer, and only its readers may read it (the same
# rules as k8s/base/security/kafka-users.yaml; deploy-tests keeps the two equal to the code).
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:-127.0.0.1:9094}"
TOPICS=/opt/kafka/bin/kafka-topics.sh
CONFIGS=/opt/kafka/bin/kafka-configs.sh
ACLS=/opt/kafka/bin/kafka-acls.sh

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
create strideback.plan-events.v1 12 7776000000
create strideback.plan-events.v1.dlq 1 2592000000
create strideback.token-revocations.v1 1 86400000
create strideback.token-revocations.v1.dlq 1 86400000
create strideback.load-monitor-audit.v1 12 2592000000
create strideback.load-monitor-audit.v1.dlq 1 2592000000

# The load monitor's own topics (issue 14), as k8s/base/kafka/load-monitor-topics.yaml declares them:
# its clinic settings and the changelogs of its Kafka Streams stores, compacted and kept forever
# (they are the state), with the activity log's 12 partitions (co-partitioned).
compacted() { # name partitions
  "$TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" \
    --partitions "$2" --replication-factor 1 --config retention.ms=-1 --config cleanup.policy=compact
}
compacted strideback.load-monitor-settings.v1 12
compacted strideback-load-monitor-athletes-changelog 12
compacted strideback-load-monitor-athlete-events-changelog 12
compacted strideback-load-monitor-athletes-to-analyse-changelog 12
compacted strideback-load-monitor-athlete-timers-changelog 12
compacted strideback-load-monitor-clinic-settings-changelog 12
compacted strideback-load-monitor-findings-view-changelog 12
compacted strideback-load-monitor-adherence-changelog 12
# and the settings topic's DLQ (round 19), as the contract's DLQs: one partition, 30 days to read the reason.
create strideback.load-monitor-settings.v1.dlq 1 2592000000

user() { # name password
  [ -n "$2" ] || { echo "no Kafka password for $1: run compose/secrets.sh" >&2; exit 1; }
  "$CONFIGS" --bootstrap-server "$BOOTSTRAP" --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]"
}
writes() { # user topic
  "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$1" \
    --operation Write --operation Describe --topic "$2" > /dev/null
}
reads() { # user topic
  "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$1" \
    --operation Read --operation Describe --topic "$2" > /dev/null
}
groups() { # user group-prefix: the consumer groups of the user's channels
  "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$1" \
    --operation Read --group "$2" --resource-pattern-type prefixed > /dev/null
}
internal() { # user topic-prefix: a Kafka Streams app's changelogs (created above, so no Create)
  "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$1" \
    --operation Read --operation Write --operation Describe --topic "$2" --resource-pattern-type prefixed > /dev/null
}
transactions() { # user transactional-id-prefix: a Kafka Streams app's exactly_once_v2 producers
  "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$1" \
    --operation Write --operation Describe --transactional-id "$2" --resource-pattern-type prefixed > /dev/null
}

user intake-service "${KAFKA_PASSWORD_INTAKE:-}"
user load-monitor-service "${KAFKA_PASSWORD_LOAD_MONITOR:-}"
user plan-service "${KAFKA_PASSWORD_PLAN:-}"

writes intake-service strideback.athlete-activity.v1
writes intake-service strideback.token-revocations.v1
reads intake-service strideback.athlete-activity.v1
reads intake-service strideback.token-revocations.v1
writes intake-service strideback.token-revocations.v1.dlq

writes load-monitor-service strideback.load-findings.v1
writes load-monitor-service strideback.plan-adjustments.v1
writes load-monitor-service strideback.load-monitor-audit.v1
writes load-monitor-service strideback.athlete-activity.v1.dlq
reads load-monitor-service strideback.athlete-activity.v1
reads load-monitor-service strideback.plan-events.v1
writes load-monitor-service strideback.plan-events.v1.dlq
reads load-monitor-service strideback.token-revocations.v1
writes load-monitor-service strideback.load-monitor-settings.v1
reads load-monitor-service strideback.load-monitor-settings.v1
writes load-monitor-service strideback.load-monitor-settings.v1.dlq
groups load-monitor-service strideback-load-monitor
internal load-monitor-service strideback-load-monitor-
transactions load-monitor-service strideback-load-monitor

writes plan-service strideback.plan-events.v1
writes plan-service strideback.athlete-activity.v1.dlq
writes plan-service strideback.plan-adjustments.v1.dlq
writes plan-service strideback.load-monitor-audit.v1.dlq
reads plan-service strideback.athlete-activity.v1
reads plan-service strideback.plan-adjustments.v1
reads plan-service strideback.load-monitor-audit.v1
reads plan-service strideback.token-revocations.v1
groups plan-service plan-service

"$TOPICS" --bootstrap-server "$BOOTSTRAP" --list
"$ACLS" --bootstrap-server "$BOOTSTRAP" --list
