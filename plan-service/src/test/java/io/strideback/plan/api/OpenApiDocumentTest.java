package io.strideback.plan.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.OpenApiDocumentChecks;
import io.strideback.testing.PostgresResource;

/** Issue 17: plan-service's /q/openapi is typed and docs/openapi/plan-service.json is current ({@link OpenApiDocumentChecks}). */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class OpenApiDocumentTest implements OpenApiDocumentChecks {

    @Override
    public String service() {
        return "plan-service";
    }
}
