package io.strideback.plan.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What {@code GET /api/v1/athletes/{id}/fhir} answers, for OpenAPI: a FHIR R4 Bundle. The body is written by HAPI
 * FHIR's parser from its R4 model; the full schema of each resource is FHIR's own (https://hl7.org/fhir/R4/).
 */
@Schema(name = "FhirBundle", description = "A FHIR R4 Bundle (https://hl7.org/fhir/R4/bundle.html) of type collection")
public record FhirBundleDocument(@Schema(enumeration = "Bundle", required = true) String resourceType, String id,
                                 @Schema(enumeration = "collection") String type,
                                 @Schema(description = "when the bundle was made") String timestamp,
                                 List<Entry> entry) {

    public record Entry(@Schema(description = "urn:uuid: id, the same on every export") String fullUrl,
                        FhirResource resource) {
    }

    @Schema(description = "A FHIR R4 resource; its fields are FHIR's (https://hl7.org/fhir/R4/resourcelist.html)")
    public record FhirResource(@Schema(enumeration = {"Patient", "Condition", "Observation", "QuestionnaireResponse",
            "CarePlan", "ServiceRequest"}) String resourceType, String id) {
    }
}
