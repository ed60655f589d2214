-- The W3C traceparent of the transaction that wrote the row (the consumer's or the request's span),
-- so the record the outbox relay sends later continues the same trace. Null when tracing is off.
ALTER TABLE outbox ADD COLUMN traceparent text;
