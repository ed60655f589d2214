package io.strideback.support.messaging;

/**
 * Marks an exception that says "try again" rather than "this record is wrong" (a lost optimistic
 * concurrency race, for example): {@link Failures} retries it and never parks the record.
 */
public interface TransientFailure {
}
