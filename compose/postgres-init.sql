-- Each service with a database owns it (docs/architecture.md); Flyway creates the tables at start. The load
-- monitor has none: its state is in Kafka Streams stores (issue 14).
CREATE DATABASE intake;
CREATE DATABASE plan;
