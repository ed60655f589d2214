package io.strideback.browser;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For working on the pages by hand: starts the platform with the seed-000 clinic of the browser
 * tests, prints the page and a token, and keeps it running (Ctrl-C stops it); touching
 * ${java.io.tmpdir}/strideback-devstack-restart restarts plan-service (after a rebuild). Not a test.
 * {@code ./mvnw -o -q -pl browser-tests test-compile exec:java -Dexec.mainClass=io.strideback.browser.DevStack -Dexec.classpathScope=test}
 */
public final class DevStack {
    private DevStack() {
    }

    public static void main(String[] args) throws Exception {
        SeedClinic seed = SeedClinic.get();
        String info = "page " + seed.page("/athletes/" + SeedClinic.ATHLETE) + "\ntoken " + seed.token + "\n";
        System.out.print(info);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "strideback-devstack.txt"), info);
        // Touch this file after rebuilding plan-service to restart it with the new pages.
        Path restart = Path.of(System.getProperty("java.io.tmpdir"), "strideback-devstack-restart");
        long until = System.currentTimeMillis() + Long.parseLong(System.getProperty("devstack.minutes", "60")) * 60_000;
        while (System.currentTimeMillis() < until) {
            if (Files.deleteIfExists(restart)) {
                seed.stack.crashAndRestart("plan-service");
                System.out.println("plan-service restarted");
            }
            Thread.sleep(1000);
        }
    }
}
