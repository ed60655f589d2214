package io.strideback.plan.personal;

import io.strideback.events.EventCodec;
import io.strideback.events.SealedText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Opens the personal fields plan-service keeps sealed (issue 16 item 3: display names, notes, source ids travel and
 * rest as {@code sealed:v1:...}; the athletes' keys live only in intake). Only to answer a request that shows them,
 * in ONE call to intake's {@code POST /api/v1/personal-data/open} with the caller's own bearer token: intake decides
 * who may read what, and answers null for an erased athlete. A value in the older plain format is used as is, and
 * a request with nothing sealed calls nobody. When intake cannot answer, the fields read as null (the data is
 * served without names rather than not at all) and the failure is logged with ids only.
 *
 * <p>Usage: {@code Batch b = personalData.batch(); Supplier<String> name = b.add(athleteId, sealed); ... b.open();}
 * then each supplier gives its plain value (or null).
 */
@ApplicationScoped
public class PersonalData {

    private static final Logger LOG = Logger.getLogger(PersonalData.class);
    /** Intake's batch limit (its OpenRequest): a larger batch is sent in chunks of this size. */
    static final int MAX_ITEMS = 500;

    /** The open endpoint's body and answer (intake-service's {@code PersonalDataResource}). */
    public record OpenItem(String athleteId, String value) {
    }

    public record OpenRequest(List<OpenItem> items) {
    }

    public record OpenAnswer(List<OpenItem> items) {
    }

    @Inject
    JsonWebToken jwt;

    @ConfigProperty(name = "strideback.intake.url")
    String intakeUrl;
    @ConfigProperty(name = "strideback.intake.timeout", defaultValue = "3S")
    Duration timeout;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A batch for the current request, opened with its caller's token. */
    public Batch batch() {
        return new Batch(this, jwt == null ? null : jwt.getRawToken());
    }

    /** The values opened in order; null where intake would not or could not open one. */
    List<String> open(List<OpenItem> items, String bearerToken) {
        List<String> out = new ArrayList<>(items.size());
        List<OpenItem> sealed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String value = items.get(i).value();
            out.add(SealedText.isSealed(value) ? null : value); // a plain (pre-sealing) value reads as it is
            if (SealedText.isSealed(value)) {
                sealed.add(items.get(i));
                at.add(i);
            }
        }
        for (int from = 0; from < sealed.size(); from += MAX_ITEMS) {
            List<OpenItem> chunk = sealed.subList(from, Math.min(sealed.size(), from + MAX_ITEMS));
            List<String> opened = call(chunk, bearerToken);
            for (int k = 0; k < chunk.size(); k++) {
                out.set(at.get(from + k), opened.get(k));
            }
        }
        return out;
    }

    private List<String> call(List<OpenItem> items, String bearerToken) {
        List<String> none = new ArrayList<>();
        items.forEach(i -> none.add(null));
        if (bearerToken == null) {
            return none;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stripSlash(intakeUrl) + "/api/v1/personal-data/open"))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + bearerToken)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.JSON.writeValueAsBytes(new OpenRequest(items))))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warnf("intake answered %d to opening %d personal fields (athlete %s first): shown without them",
                        response.statusCode(), items.size(), items.get(0).athleteId());
                return none;
            }
            OpenAnswer answer = EventCodec.JSON.readValue(response.body(), OpenAnswer.class);
            if (answer.items() == null || answer.items().size() != items.size()) {
                LOG.warnf("intake answered %s items to opening %d personal fields: shown without them",
                        answer.items() == null ? "no" : answer.items().size(), items.size());
                return none;
            }
            return answer.items().stream().map(OpenItem::value).toList();
        } catch (IOException e) {
            // Ids only: the exception's message could hold the request.
            LOG.warnf("intake unreachable to open %d personal fields (athlete %s first, %s): shown without them",
                    items.size(), items.get(0).athleteId(), e.getClass().getSimpleName());
            return none;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none;
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The personal fields one answer shows, opened together. Not thread-safe; one per request. */
    public static final class Batch {
        private final PersonalData personalData;
        private final String bearerToken;
        private final List<OpenItem> items = new ArrayList<>();
        private List<String> opened;

        Batch(PersonalData personalData, String bearerToken) {
            this.personalData = personalData;
            this.bearerToken = bearerToken;
        }

        /** Adds a field; its plain value (or null) once {@link #open()} ran. A null value stays null. */
        public Supplier<String> add(String athleteId, String value) {
            if (value == null) {
                return () -> null;
            }
            int index = items.size();
            items.add(new OpenItem(athleteId, value));
            return () -> {
                if (opened == null) {
                    throw new IllegalStateException("the batch was not opened yet");
                }
                return opened.get(index);
            };
        }

        /** Opens every field added, in one call (none when nothing is sealed). */
        public Batch open() {
            opened = items.isEmpty() ? List.of() : personalData.open(items, bearerToken);
            return this;
        }
    }
}
