package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.strideback.intake.support.IntakeTest;
import io.strideback.testing.OpenApiDocumentChecks;

/** Issue 17: intake's /q/openapi is typed and docs/openapi/intake-service.json is current ({@link OpenApiDocumentChecks}). */
@QuarkusTest
class OpenApiDocumentTest extends IntakeTest implements OpenApiDocumentChecks {

    @Override
    public String service() {
        return "intake-service";
    }
}
