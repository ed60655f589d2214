package io.strideback.events;

/**
 * Data that names its athlete and clinic. CONTRACT.md "Kafka": the athlete travels in the {@code ce_subject} header
 * (and the key's second half) too; a reader refuses a record whose data names another athlete than its header, so an
 * event is never applied to the wrong athlete ({@link EventCodec}).
 */
public interface AboutAthlete extends AboutClinic {
    String athleteId();
}
