-- Each service owns its database (docs/architecture.md); Flyway creates the tables at start.
CREATE DATABASE intake;
CREATE DATABASE loadmonitor;
CREATE DATABASE plan;
