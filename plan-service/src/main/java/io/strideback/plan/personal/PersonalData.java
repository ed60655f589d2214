package io.strideback.plan.personal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strideback.events.EventCodec;
import io.strideback.events.SealedText;
import io.strideback.support.rest.ProblemException;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 *
 * <p>It also seals: a clinician's own words about an athlete (a phase change's, a rejection's or a clearance's
 * reason) are sealed by intake's {@code POST /api/v1/personal-data/seal} with the caller's token before a command
 * writes them ({@link #seal}). The plan puts them into its own sentence ("Moved from PROTECT to RESTORE_CAPACITY by
 * dr-a: sealed:v1:...; now ..."), so a reason may hold a sealed part inside plain words: {@link Batch#addText} and
 * {@link Batch#openIn} open such parts.
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

    /** The seal endpoint's body and answer (intake-service's {@code PersonalDataResource}). */
    public record SealRequest(String athleteId, List<String> texts) {
    }

    public record SealAnswer(String athleteId, List<String> sealed) {
    }

    /** A sealed value inside a text: the prefix and base64url, which no plain word around it continues. */
    static final Pattern SEALED_PART = Pattern.compile(Pattern.quote(SealedText.PREFIX) + "[A-Za-z0-9_-]*");
    /** When a clinician's command may be sent again after intake could not seal its words. */
    static final int RETRY_AFTER_SECONDS = 5;

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

    /**
     * A clinician's free text about an athlete, sealed by intake with the caller's token, before anything writes it
     * (issue 16: it is personal data too). Null and blank texts come back as they are, with no call. Never plain text
     * as a fallback: intake unreachable or failing is a 503 problem with Retry-After (the command then appends
     * nothing), an athlete intake does not know in the caller's clinic, or has erased, is 404 like the plan.
     */
    public String seal(String athleteId, String text) {
        if (text == null || text.isBlank()) {
            return text;
        }
        return seal(athleteId, List.of(text), jwt == null ? null : jwt.getRawToken()).get(0);
    }

    List<String> seal(String athleteId, List<String> texts, String bearerToken) {
        if (bearerToken == null) {
            throw ProblemException.unavailable("the clinician's words cannot be sealed without the caller's token", RETRY_AFTER_SECONDS);
        }
        int status;
        try {
            HttpResponse<byte[]> response = postToIntake("/seal", new SealRequest(athleteId, texts), bearerToken);
            status = response.statusCode();
            if (status == 200) {
                SealAnswer answer = EventCodec.JSON.readValue(response.body(), SealAnswer.class);
                List<String> sealed = answer.sealed();
                if (sealed != null && sealed.size() == texts.size() && sealed.stream().allMatch(SealedText::isSealed)) {
                    return sealed;
                }
                LOG.warnf("intake answered %s sealed texts of %d for athlete %s: the command is refused",
                        sealed == null ? "no" : sealed.size(), texts.size(), athleteId);
                throw unsealed();
            }
        } catch (IOException e) {
            // Ids only: the exception's message could hold the request.
            LOG.warnf("intake unreachable to seal %d texts for athlete %s (%s): the command is refused", texts.size(),
                    athleteId, e.getClass().getSimpleName());
            throw unsealed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unsealed();
        }
        if (status == 404 || status == 410) {
            // CONTRACT v2 erasure: plan-service answers 404 for an erased athlete, as for one it never had.
            throw ProblemException.notFound("plan");
        }
        LOG.warnf("intake answered %d to sealing %d texts for athlete %s: the command is refused", status, texts.size(),
                athleteId);
        throw unsealed();
    }

    private static ProblemException unsealed() {
        return ProblemException.unavailable("the clinician's words cannot be sealed now (intake is unavailable), so "
                + "nothing was changed; retry shortly", RETRY_AFTER_SECONDS);
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
            HttpResponse<byte[]> response = postToIntake("/open", new OpenRequest(items), bearerToken);
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

    /** One call to intake's personal-data API ({@code /api/v1/personal-data} + {@code call}) with the caller's token. */
    private HttpResponse<byte[]> postToIntake(String call, Object body, String bearerToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stripSlash(intakeUrl) + "/api/v1/personal-data" + call))
                .timeout(timeout)
                .header("Authorization", "Bearer " + bearerToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.JSON.writeValueAsBytes(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The personal fields one answer shows, opened together. Not thread-safe; one per request. */
    public static final class Batch {
        private final PersonalData personalData;
        private final String bearerToken;
        private final List<OpenItem> items = new ArrayList<>();
        private final List<Runnable> fills = new ArrayList<>();
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

        /**
         * Adds a text that may hold sealed parts within plain words (a reason with a clinician's sealed words): once
         * opened, the text with each part opened; null when a part does not open (the athlete was erased, or intake
         * could not answer), never the sealed form; a text without sealed parts as it is.
         */
        public Supplier<String> addText(String athleteId, String text) {
            if (text == null || !text.contains(SealedText.PREFIX)) {
                return () -> text;
            }
            Matcher m = SEALED_PART.matcher(text);
            List<String> plain = new ArrayList<>();
            List<Supplier<String>> parts = new ArrayList<>();
            int from = 0;
            while (m.find()) {
                plain.add(text.substring(from, m.start()));
                parts.add(add(athleteId, m.group()));
                from = m.end();
            }
            String tail = text.substring(from);
            return () -> {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < parts.size(); i++) {
                    String part = parts.get(i).get();
                    if (part == null) {
                        return null;
                    }
                    s.append(plain.get(i)).append(part);
                }
                return s.append(tail).toString();
            };
        }

        /**
         * Every string of an answer's JSON tree that holds a sealed part, opened in place by {@link #open()} as
         * {@link #addText} opens it (JSON null when it does not open). For answers about one athlete.
         */
        public Batch openIn(String athleteId, JsonNode tree) {
            if (tree instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getValue().isTextual()) {
                        if (field.getValue().asText().contains(SealedText.PREFIX)) {
                            Supplier<String> text = addText(athleteId, field.getValue().asText());
                            String name = field.getKey();
                            fills.add(() -> object.put(name, text.get()));
                        }
                    } else {
                        openIn(athleteId, field.getValue());
                    }
                }
            } else if (tree instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode element = array.get(i);
                    if (element.isTextual()) {
                        if (element.asText().contains(SealedText.PREFIX)) {
                            Supplier<String> text = addText(athleteId, element.asText());
                            int index = i;
                            fills.add(() -> array.set(index, array.textNode(text.get())));
                        }
                    } else {
                        openIn(athleteId, element);
                    }
                }
            }
            return this;
        }

        /** Opens every field added, in one call (none when nothing is sealed), and fills the trees of {@link #openIn}. */
        public Batch open() {
            opened = items.isEmpty() ? List.of() : personalData.open(items, bearerToken);
            fills.forEach(Runnable::run);
            return this;
        }
    }
}
