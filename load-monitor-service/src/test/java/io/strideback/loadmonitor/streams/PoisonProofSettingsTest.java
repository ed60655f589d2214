package io.strideback.loadmonitor.streams;

import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.support.messaging.DeadLetterBounds;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 19, from outside: a record on the settings topic that the monitor cannot take was logged and skipped, or
 * (settings out of bounds) kept, so the clinic silently fell back to the defaults at its next analysis. Each fails the
 * same way every time: it is parked on the settings topic's DLQ with its reason and where it was read, the clinic
 * keeps the settings it had, and the next good change is taken.
 */
class PoisonProofSettingsTest {

    private static final String CLINIC = "clinic-1";

    @TempDir
    Path stateDir;

    @Test
    void a_settings_record_that_is_not_json_is_parked_with_its_reason_and_the_clinic_keeps_its_settings() {
        assertParked("not json at all".getBytes(StandardCharsets.UTF_8), "not readable");
    }

    @Test
    void a_settings_record_with_a_nul_is_parked() {
        assertParked(("{\"clinicId\": \"" + CLINIC + "\", \"revision\": \"a\u0000").getBytes(StandardCharsets.UTF_8),
                "not readable");
    }

    @Test
    void a_settings_record_of_another_schema_is_parked() {
        assertParked(("{\"clinicId\": \"" + CLINIC + "\", \"rules\": \"strict\"}").getBytes(StandardCharsets.UTF_8),
                "not readable");
        assertParked(("{\"clinicId\": \"" + CLINIC + "\", \"revision\": \"r\"}").getBytes(StandardCharsets.UTF_8),
                "no rules");
    }

    @Test
    void a_settings_record_naming_another_clinic_than_its_key_is_parked() {
        assertParked(change("clinic-2", ClinicRules.defaults()), "names clinic 'clinic-2'");
    }

    @Test
    void settings_out_of_bounds_or_contradicting_each_other_are_parked_not_kept() {
        assertParked(change(CLINIC, ClinicRules.builder().flareUpPain(11).build()), "flareUpPain");
        assertParked(change(CLINIC, ClinicRules.builder().settledPain(10).flareUpPain(1).build()), "settledPain");
        assertParked(change(CLINIC, ClinicRules.builder().acuteEwmaDays(60).chronicEwmaDays(28).build()),
                "acuteEwmaDays");
    }

    @Test
    void a_huge_settings_record_is_parked_without_its_value_never_kept() {
        byte[] huge = ("{\"clinicId\": \"" + CLINIC + "\"" + " ".repeat(2_000_000) + "}").getBytes(StandardCharsets.UTF_8);
        TestRecord<String, byte[]> parked = assertParked(huge, "over the " + ClinicSettingsChange.MAX_BYTES);
        assertThat(parked.value()).isNull();
        assertThat(EventCodec.header(parked.headers(), DeadLetterBounds.VALUE_OMITTED_HEADER))
                .startsWith(huge.length + " bytes");
    }

    @Test
    void a_settings_record_without_a_key_is_parked() {
        try (MonitorDriver m = new MonitorDriver(stateDir, CLINIC, "ath-1")) {
            m.pipeRawSettings(null, change(CLINIC, ClinicRules.defaults()));
            assertThat(m.settingsDeadLetters()).hasSize(1);
            assertThat(EventCodec.header(m.settingsDeadLetters().get(0).headers(), Topic.DLQ_REASON_HEADER))
                    .contains("needs the clinic id as key");
        }
    }

    /**
     * Given settings the clinic set, when {@code poison} arrives: it is parked with a reason containing
     * {@code reason}, the clinic keeps its settings, and a good change after it is still taken.
     */
    private TestRecord<String, byte[]> assertParked(byte[] poison, String reason) {
        try (MonitorDriver m = new MonitorDriver(stateDir, CLINIC, "ath-1")) {
            byte[] first = change(CLINIC, ClinicRules.builder().randomMinEpisodes(3).build());
            m.pipeRawSettings(CLINIC, first);
            String kept = m.keptSettings().revision();

            m.pipeRawSettings(CLINIC, poison);

            assertThat(m.settingsDeadLetters()).hasSize(1);
            TestRecord<String, byte[]> parked = m.settingsDeadLetters().get(0);
            assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains(reason);
            assertThat(EventCodec.header(parked.headers(), DeadLetterBounds.SOURCE_TOPIC_HEADER))
                    .isEqualTo(MonitorTopology.SETTINGS_TOPIC);
            assertThat(m.keptSettings().revision()).isEqualTo(kept);
            assertThat(m.keptSettings().rules().randomMinEpisodes()).isEqualTo(3);

            byte[] next = change(CLINIC, ClinicRules.builder().randomMinEpisodes(4).build());
            m.pipeRawSettings(CLINIC, next);
            assertThat(m.keptSettings().rules().randomMinEpisodes()).isEqualTo(4);
            assertThat(m.settingsDeadLetters()).hasSize(1);
            return parked;
        }
    }

    private static byte[] change(String clinicId, ClinicRules rules) {
        return EventCodec.writeData(new ClinicSettingsChange(clinicId, UUID.randomUUID().toString(), rules,
                Instant.parse("2026-04-01T12:00:00Z")));
    }
}
