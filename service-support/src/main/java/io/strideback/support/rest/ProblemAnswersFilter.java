package io.strideback.support.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.List;
import java.util.Map;

/**
 * CONTRACT v2 "Every /api response has a typed schema": the error answers too. Every error of every
 * service leaves as {@link Problem} (RFC 9457, {@link ProblemMappers}), but an {@code @APIResponse} that
 * names only a status and a description left the document with no body for it (review r15: every 401,
 * 403, 404, 413, 422 and 503 of the three documents). This gives each such answer of an {@code /api}
 * path the {@code application/problem+json} {@code Problem} schema; answers that describe their own
 * body (a FIT upload's refusal, a gate's 409) keep it. A call that names a resource in its path also
 * lists the 404 it answers for another clinic's (the reads of plan-service and the load monitor did not).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemAnswersFilter implements OASFilter {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        boolean used = false;
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
                    continue;
                }
                if (path.getKey().contains("{")) {
                    // CONTRACT "Auth and tenancy": a resource of another clinic is 404, on every call that names one.
                    addIfAbsent(operation, "404", "no such resource in the caller's clinic (another clinic's is not revealed)");
                }
                addDoorAnswers(path.getValue(), operation);
                for (Map.Entry<String, APIResponse> answer : operation.getResponses().getAPIResponses().entrySet()) {
                    APIResponse response = answer.getValue();
                    boolean error = answer.getKey().startsWith("4") || answer.getKey().startsWith("5");
                    boolean described = response.getContent() != null && response.getContent().getMediaTypes() != null
                            && !response.getContent().getMediaTypes().isEmpty();
                    if (error && !described && response.getRef() == null) {
                        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
                        used = true;
                    }
                }
            }
        }
        if (used) {
            addProblemSchemas(openAPI);
        }
    }

    /**
     * Round 21, from outside: the answers every service's door gives before a call's own code runs were missing from
     * the calls that can get them (a GET of a plan with an id over 200 characters or {@code ?asOf=} twice answered a 400
     * its document did not list; a body over 1 MiB a 413, one in gzip or of another media type a 415). A call with a
     * path or query parameter or a body lists 400 ({@link RequestTextCheck}, the body's checks); a call with a body
     * lists 413 ({@link BodySizeLimit}) and 415 ({@link ContentCodingCheck}, {@link ProblemMappers#unsupported}).
     */
    private static void addDoorAnswers(PathItem path, Operation operation) {
        boolean parameters = (operation.getParameters() != null && !operation.getParameters().isEmpty())
                || (path.getParameters() != null && !path.getParameters().isEmpty());
        boolean body = operation.getRequestBody() != null;
        if (parameters || body) {
            addIfAbsent(operation, "400", "a path or query parameter or the body is refused: problem+json naming each "
                    + "field (an id with a control character or over 200 characters, a query parameter given twice, ...)");
        }
        if (body) {
            addIfAbsent(operation, "413", "the body is larger than the call takes");
            addIfAbsent(operation, "415", "the body is sent in a content coding (gzip, ...; Accept-Encoding: identity) "
                    + "or with a Content-Type the call does not take");
        }
    }

    private static void addIfAbsent(Operation operation, String status, String description) {
        if (!operation.getResponses().hasAPIResponse(status)) {
            operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    /** {@link Problem} and {@link FieldError} as the services write them, unless the document has them already. */
    private static void addProblemSchemas(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        Map<String, Schema> schemas = components.getSchemas();
        if (schemas == null || !schemas.containsKey(FIELD_ERROR)) {
            components.addSchema(FIELD_ERROR, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .addProperty("field", string()).addProperty("message", string()));
        }
        if (schemas == null || !schemas.containsKey(PROBLEM)) {
            components.addSchema(PROBLEM, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .addProperty("type", string()).addProperty("title", string())
                    .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).format("int32"))
                    .addProperty("detail", string())
                    .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                            .items(OASFactory.createSchema().ref(FIELD_ERROR))));
        }
    }

    private static Schema string() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
    }
}
