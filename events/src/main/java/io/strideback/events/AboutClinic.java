package io.strideback.events;

/**
 * Data that names its clinic. CONTRACT.md "Kafka": the clinic travels in the {@code ce_clinic} header (and the key's
 * first half) too; a reader refuses a record whose data names another clinic than its header ({@link EventCodec}).
 */
public interface AboutClinic {
    String clinicId();
}
