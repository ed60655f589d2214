package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.OpenApiDocumentChecks;

/**
 * Issue 17: the load monitor's /q/openapi is typed and docs/openapi/load-monitor-service.json is current
 * ({@link OpenApiDocumentChecks}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class OpenApiDocumentTest implements OpenApiDocumentChecks {

    @Override
    public String service() {
        return "load-monitor-service";
    }
}
