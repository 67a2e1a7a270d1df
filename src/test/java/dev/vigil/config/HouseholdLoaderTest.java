package dev.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.Policy.Mode;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HouseholdLoaderTest {

    private static final String CAMERA = """
            cameras:
              - id: front-door
                name: Front door
                kvsStream: front-door-cam
            """;

    @TempDir
    Path dir;

    // ---- valid files ---------------------------------------------------------------------------------

    @Test
    void bundledExampleLoads() {
        Household h = HouseholdLoader.load("classpath:config/household.example.yaml");

        assertEquals(List.of("front-door", "driveway", "back-garden"),
                h.cameras().stream().map(Household.Camera::id).toList());
        assertEquals(List.of("alice", "bob"), h.people().stream().map(Household.Person::id).toList());
        assertEquals(ZoneId.of("Europe/London"), h.policy().timeZone());
        assertEquals(Mode.HOME, h.policy().mode());
    }

    @Test
    void bundledExampleValuesAreRead() {
        Household h = HouseholdLoader.load("classpath:config/household.example.yaml");
        Policy p = h.policy();

        Household.Camera driveway = h.cameras().get(1);
        assertEquals("driveway-cam", driveway.kvsStream());
        assertEquals(0.04, driveway.thresholds().minFaceHeight());
        assertNull(driveway.thresholds().match(), "per-camera thresholds keep only the keys given");
        assertEquals(List.of("family"), h.people().get(0).groups());
        assertEquals(Duration.ofSeconds(30), p.visit().window());
        assertEquals(2, p.visit().minFrames());
        assertEquals(Duration.ofMinutes(5), p.visit().cooldown());
        assertEquals(Duration.ofMinutes(15), p.alertTtl());
        assertEquals(LocalTime.of(23, 0), p.quietHours().from());
        assertEquals(LocalTime.of(6, 30), p.quietHours().to());
        assertEquals(Severity.CRITICAL, p.quietHours().allow());
        assertEquals(2, p.rules().size());
        assertEquals(Policy.Rule.Notify.NEVER, p.rules().get(0).action());
        assertEquals(List.of("front-door"), p.rules().get(1).cameras());
        assertEquals(Thresholds.DEFAULTS, p.thresholds());
    }

    @Test
    void onlyGivenModeEntriesOverrideTheDefaultTable() throws IOException {
        Household h = HouseholdLoader.load(write("""
                policy:
                  mode: night
                  modes:
                    night: {known_person: info}
                """));

        assertEquals(Severity.INFO, h.policy().severity(Mode.NIGHT, AlertType.KNOWN_PERSON));
        assertEquals(Severity.CRITICAL, h.policy().severity(Mode.NIGHT, AlertType.UNKNOWN_FACE));
        assertEquals(Severity.WARNING, h.policy().severity(Mode.HOME, AlertType.UNKNOWN_FACE));
    }

    @Test
    void modeValueIsCaseInsensitive() throws IOException {
        Household h = HouseholdLoader.load(write("policy:\n  mode: AWAY\n"));

        assertEquals(Mode.AWAY, h.policy().mode());
    }

    @Test
    void shortAndIsoDurationsAreRead() throws IOException {
        Household h = HouseholdLoader.load(write("""
                policy:
                  visit: {window: 45s, cooldown: 2h}
                  alertTtl: PT90S
                """));

        assertEquals(Duration.ofSeconds(45), h.policy().visit().window());
        assertEquals(Duration.ofHours(2), h.policy().visit().cooldown());
        assertEquals(Duration.ofSeconds(90), h.policy().alertTtl());
    }

    @Test
    void emptyFileIsAValidHouseholdWithDefaults() throws IOException {
        Household h = HouseholdLoader.load(write(""));

        assertTrue(h.cameras().isEmpty());
        assertTrue(h.people().isEmpty());
        assertEquals(Policy.DEFAULT, h.policy());
        assertEquals(ZoneId.of("UTC"), h.policy().timeZone());
        assertEquals(Mode.HOME, h.policy().mode());
    }

    @Test
    void fileWithOnlyEmptyTopLevelKeysIsAValidHouseholdWithDefaults() throws IOException {
        Household h = HouseholdLoader.load(write("cameras: []\npeople: []\n"));

        assertTrue(h.cameras().isEmpty());
        assertEquals(Policy.DEFAULT, h.policy());
    }

    // ---- invalid files -------------------------------------------------------------------------------

    @Test
    void unknownKeyInsideCameraThresholdsIsNamedWithItsPath() throws IOException {
        String location = write(CAMERA + """
                    thresholds:
                      minFaceHight: 0.04
                """);

        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(location));

        assertMessage(e, "cameras[0].thresholds", "minFaceHight", "unknown key", location);
        assertMessage(e, "minFaceHeight"); // the known keys are listed: the fix is visible
    }

    @Test
    void unknownTopLevelKeyIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("camera:\n  - id: x\n")));

        assertMessage(e, "unknown key \"camera\"", "cameras");
    }

    @Test
    void badModeValueListsTheModes() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  mode: holiday\n")));

        assertMessage(e, "policy.mode", "holiday", "home, away, night");
    }

    @Test
    void kvsStreamWithASpaceIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write("""
                cameras:
                  - id: front-door
                    name: Front door
                    kvsStream: front door cam
                """)));

        assertMessage(e, "cameras[0].kvsStream", "front door cam", "Kinesis Video stream");
    }

    @Test
    void channelGuardsAreReadAndBadOnesNamedWithTheirKey() throws IOException {
        Household h = HouseholdLoader.load(write(CAMERA + """
                channels:
                  webhooks:
                    - name: ha
                      url: http://127.0.0.1:8123/api/webhook/x
                      preset: home-assistant
                      timeout: {connect: 1s, response: 1500ms}
                      rateLimit: {max: 5, per: 10m}
                  sns:
                    topicArn: arn:aws:sns:eu-west-2:123456789012:vigil-alerts
                    rateLimit: {max: 0}
                """));
        Channels.Webhook ha = h.channels().webhooks().get(0);
        assertEquals(java.time.Duration.ofMillis(1500), ha.timeout().response());
        assertEquals(new Channels.RateLimit(5, java.time.Duration.ofMinutes(10)), ha.rateLimit());
        assertEquals(0, h.channels().sns().rateLimit().max());

        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write(CAMERA + """
                channels:
                  webhooks:
                    - name: ha
                      url: http://127.0.0.1:8123/api/webhook/x
                      preset: home-assistant
                      rateLimit: {max: -1}
                """)));
        assertMessage(e, "channels.webhooks[0].rateLimit.max", "0 (no ceiling) or more");
        e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write(CAMERA + """
                channels:
                  webhooks:
                    - name: ha
                      url: http://127.0.0.1:8123/api/webhook/x
                      preset: home-assistant
                      timeout: {response: 0s}
                """)));
        assertMessage(e, "channels.webhooks[0].timeout.response", "longer than zero");
    }

    @Test
    void duplicateCameraIdIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write(CAMERA + """
                  - id: front-door
                    name: Another door
                    kvsStream: another-cam
                """)));

        assertMessage(e, "cameras[1].id", "front-door", "unique");
    }

    @Test
    void streamClaimedByTwoCamerasIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write(CAMERA + """
                  - id: porch
                    name: Porch
                    kvsStream: front-door-cam
                """)));

        assertMessage(e, "cameras[1].kvsStream", "front-door-cam");
    }

    @Test
    void matchThresholdBelowEightyIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  thresholds:\n    match: 70\n")));

        assertMessage(e, "policy.thresholds.match", "70", "80");
    }

    @Test
    void cameraMatchThresholdBelowEightyIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write(CAMERA + "    thresholds: {match: 70}\n")));

        assertMessage(e, "cameras[0].thresholds.match", "80");
    }

    @Test
    void ruleNamingAPersonNotInPeopleIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write("""
                people:
                  - id: alice
                    name: Alice
                policy:
                  rules:
                    - person: carol
                      notify: never
                """)));

        assertMessage(e, "policy.rules[0].person", "carol", "people");
    }

    @Test
    void ruleNamingAnUnknownCameraIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(write(CAMERA + """
                people:
                  - id: alice
                    name: Alice
                policy:
                  rules:
                    - person: alice
                      notify: arrival
                      cameras: [garage]
                """)));

        assertMessage(e, "policy.rules[0].cameras", "garage");
    }

    @Test
    void quietHoursWithOnlyFromIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  quietHours:\n    from: \"23:00\"\n")));

        assertMessage(e, "policy.quietHours", "from and to");
    }

    @Test
    void badDurationIsNamedWithItsPath() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  visit:\n    cooldown: 5 minutes\n")));

        assertMessage(e, "policy.visit.cooldown", "5 minutes");
    }

    @Test
    void badDurationMessageSaysHowToWriteADuration() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  visit:\n    cooldown: 5 minutes\n")));

        assertMessage(e, "policy.visit.cooldown", "5m");
    }

    @Test
    void zeroVisitWindowIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  visit:\n    window: 0s\n")));

        assertMessage(e, "policy.visit.window", "longer than zero");
    }

    @Test
    void badTimeZoneIsNamedWithItsPath() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(write("policy:\n  timeZone: Europe/Londn\n")));

        assertMessage(e, "policy.timeZone");
    }

    @Test
    void missingFileIsRefusedWithTheFix() {
        String location = dir.resolve("no-such-household.yaml").toString();

        ConfigException e = assertThrows(ConfigException.class, () -> HouseholdLoader.load(location));

        assertMessage(e, location, "cannot be read", "VIGIL_CONFIG");
    }

    @Test
    void missingBundledFileIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load("classpath:config/no-such-file.yaml"));

        assertMessage(e, "classpath:config/no-such-file.yaml", "cannot be read", "VIGIL_CONFIG");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private String write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "household", ".yaml");
        Files.writeString(file, yaml);
        return file.toString();
    }

    private static void assertMessage(ConfigException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message should contain \"" + part + "\": " + e.getMessage());
        }
    }
}
