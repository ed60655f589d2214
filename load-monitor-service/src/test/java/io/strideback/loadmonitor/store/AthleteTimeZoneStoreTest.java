package io.strideback.loadmonitor.store;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT v2: the enrolment's optional {@code timeZone} is kept with the athlete (migration V7) and reaches the
 * rules in the profile, so "day" is the athlete's (DOMAIN.md rules v2); without one the profile has none and the
 * clinic's zone counts.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "loadmonitor"))
@QuarkusTestResource(LocalKeysResource.class)
class AthleteTimeZoneStoreTest {

    @Inject
    LoadMonitorStore store;

    @Test
    void the_athletes_time_zone_from_enrolment_is_in_the_profile_the_rules_read() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        try (Connection c = store.connection()) {
            store.enrol(c, enrolment(clinic, "in-sydney", "Australia/Sydney"));
            store.enrol(c, enrolment(clinic, "no-zone", null));

            assertThat(store.profile(c, clinic, "in-sydney")).map(AthleteProfile::timeZone)
                    .contains(ZoneId.of("Australia/Sydney"));
            assertThat(store.profile(c, clinic, "no-zone")).hasValueSatisfying(p -> assertThat(p.timeZone()).isNull());
            Map<String, AthleteProfile> both = store.profiles(c, List.of(new String[]{clinic, "in-sydney"},
                    new String[]{clinic, "no-zone"}));
            assertThat(both.values()).extracting(AthleteProfile::timeZone)
                    .containsExactlyInAnyOrder(ZoneId.of("Australia/Sydney"), null);
        }
    }

    private static AthleteEnrolled enrolment(String clinic, String athleteId, String zone) {
        return new AthleteEnrolled(athleteId, clinic, "Sam", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                LocalDate.of(2026, 3, 1), 3.0, Instant.parse("2026-03-02T09:00:00Z"), zone);
    }
}
