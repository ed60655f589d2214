package io.strideback.intake.support;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;

/**
 * The real broker, the real PostgreSQL and the local signing key, declared once for the whole
 * module: {@code @QuarkusTestResource} applies to every {@code @QuarkusTest}, so Quarkus boots
 * once for all tests that use no test profile.
 */
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "intake"))
@QuarkusTestResource(LocalKeysResource.class)
public final class IntakeTestResources {
    private IntakeTestResources() {
    }
}
