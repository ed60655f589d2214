package io.strideback.browser;

import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenancy on the pages: a clinician of another clinic who opens the seed-000 runner's page (the
 * page itself is public) gets no data, only a message; the overview lists none of the first
 * clinic's athletes; the APIs the pages added answer like the others (404, 401, 403).
 */
class OtherClinicIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private static SeedClinic seed;
    private static Chromium browser;
    private static String otherToken;

    @BeforeAll
    static void start() {
        seed = SeedClinic.get();
        otherToken = Tokens.issue("other-clinic-" + UUID.randomUUID(), "clinician");
        browser = Chromium.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void another_clinics_clinician_gets_no_data_on_the_athlete_page() {
        browser.open(seed.page("/athletes/" + SeedClinic.ATHLETE));
        ClinicianTimelineIT.signIn(browser, otherToken);
        browser.await("the not-found message", WAIT, d -> browser.find("#alert").isDisplayed()
                && "error".equals(browser.find("main").getAttribute("data-state")));
        assertThat(browser.find("#alert").getText()).contains("No athlete \"" + SeedClinic.ATHLETE + "\" in your clinic");
        assertThat(browser.find("#athlete").isDisplayed()).isFalse();
        assertThat(browser.js("return window.strideback.chart()")).as("no chart").isNull();
        assertThat(browser.all("#timeline-rows tr")).isEmpty();
        assertThat(browser.all("#pending-list li")).isEmpty();
        assertThat(browser.all("#exercise-list li")).isEmpty();
        assertThat(browser.find("#athlete-summary").getAttribute("data-episodes")).isNull();
        assertThat(browser.driver().getPageSource()).doesNotContain("Neural glides", "RUNNING_TRIGGERED");
        browser.screenshot("other-clinic-athlete");
    }

    @Test
    void another_clinics_overview_lists_none_of_the_first_clinics_athletes() {
        browser.open(seed.page("/"));
        if (browser.find("#sign-in").isDisplayed()) {
            ClinicianTimelineIT.signIn(browser, otherToken);
        }
        browser.await("the overview", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state")));
        assertThat(browser.all("#overview-rows tr")).isEmpty();
        assertThat(browser.find("#overview-empty").isDisplayed()).isTrue();
    }

    @Test
    void a_token_that_is_not_accepted_shows_the_sign_in_again() {
        browser.open(seed.page("/athletes/" + SeedClinic.ATHLETE));
        browser.js("sessionStorage.clear()");
        browser.open(seed.page("/athletes/" + SeedClinic.ATHLETE));
        ClinicianTimelineIT.signIn(browser, "eyJhbGciOiJub25lIn0.eyJjbGluaWMiOiJ4In0.c2ln");
        browser.await("the sign-in form again", WAIT, d -> browser.find("#sign-in").isDisplayed()
                && browser.find("#alert").getText().contains("not accepted"));
        assertThat(browser.find("#athlete").isDisplayed()).isFalse();
    }

    @Test
    void the_apis_the_pages_added_are_scoped_to_the_clinic() {
        ApiClient other = seed.client(otherToken);
        String athlete = "/api/v1/athletes/" + SeedClinic.ATHLETE;
        assertThat(other.getLoadMonitor(athlete + "/timeline").status()).isEqualTo(404);
        assertThat(other.getPlan("/api/v1/athletes").body().get("athletes")).isEmpty();
        assertThat(other.getLoadMonitor("/api/v1/athletes").body().get("athletes")).isEmpty();
        assertThat(seed.api.getPlan("/api/v1/athletes").body().get("athletes").toString()).contains(SeedClinic.ATHLETE);
        assertThat(seed.api.getLoadMonitor("/api/v1/athletes").body().get("athletes").toString()).contains(SeedClinic.ATHLETE);
        assertThat(seed.api.getLoadMonitor(athlete + "/timeline").body().get("sessions").size()).isGreaterThan(10);

        ApiClient anonymous = seed.client("not-a-token");
        assertThat(anonymous.getLoadMonitor(athlete + "/timeline").status()).isEqualTo(401);
        assertThat(anonymous.getPlan("/api/v1/athletes").status()).isEqualTo(401);
        ApiClient device = seed.client(Tokens.issue(seed.clinicId, "device"));
        assertThat(device.getLoadMonitor(athlete + "/timeline").status()).isEqualTo(403);
        assertThat(device.getLoadMonitor("/api/v1/athletes").status()).isEqualTo(403);
        assertThat(device.getPlan("/api/v1/athletes").status()).isEqualTo(403);
    }
}
