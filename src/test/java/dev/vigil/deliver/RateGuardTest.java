package dev.vigil.deliver;

import dev.vigil.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Headers;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import dev.vigil.testing.Alerts;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The rate guard's windows and the summary alert, and how text channels and the console show it. */
class RateGuardTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T20:55:00Z"));
    private final RateGuard guard = new RateGuard(Map.of("phone", new RateGuard.Limit(2, Duration.ofMinutes(10)),
            "off", new RateGuard.Limit(0, Duration.ofMinutes(10))), true, clock);

    private boolean holds(String channel, Alert a) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(Headers.CHANNEL, channel);
        return guard.holds(a, e);
    }

    @Test
    void overTheCeilingAlertsAreHeldUntilTheWindowEndsThenSummarisedOnce() {
        List<Alert> a = List.of(Alerts.unknownFace(), Alerts.unknownFace(), Alerts.unknownFace(Severity.INFO),
                Alerts.unknownFace());
        assertFalse(holds("phone", a.get(0)));
        assertFalse(holds("phone", a.get(1)));
        assertFalse(holds("phone", Alerts.unknownFace(Severity.CRITICAL)), "critical: exempt, not counted");
        assertTrue(holds("phone", a.get(2)));
        clock.advance(java.time.Duration.ofSeconds(60));
        assertTrue(holds("phone", a.get(3)));
        assertEquals(List.of(), guard.due(), "the window has not ended");

        clock.set(Instant.parse("2026-11-24T21:05:00Z"));
        List<Alert> due = guard.due();
        assertEquals(1, due.size());
        Alert s = due.get(0);
        assertEquals(AlertType.SUMMARY, s.type());
        assertEquals(Severity.WARNING, s.severity(), "the highest held");
        assertEquals(2, s.summary().count());
        assertEquals(List.of(a.get(2).id(), a.get(3).id()), s.summary().alertIds());
        assertEquals(Map.of("unknown_face", 2), s.summary().byType());
        assertEquals(RateGuard.summaryId("phone", Instant.parse("2026-11-24T20:55:00Z")), s.id());
        assertEquals(List.of(), guard.due(), "once");
        assertFalse(holds("phone", Alerts.unknownFace()), "a new window");
        assertFalse(holds("phone", s), "a summary is never held");
        for (int i = 0; i < 5; i++) {
            assertFalse(holds("off", Alerts.unknownFace()), "max 0: no ceiling");
            assertFalse(holds("console", Alerts.unknownFace()), "no limit configured for the channel");
        }

        AlertText text = new AlertText(ZoneId.of("Europe/London"));
        assertEquals("2 more alerts at side-gate-cam, 20:55-21:05", text.title(s));
        assertTrue(text.message(s).startsWith("2 more alerts at side-gate-cam, 20:55-21:05: unknown_face 2; cameras "
                + "side-gate-cam 2. Held back over the ceiling of 2 alerts on phone. Alerts " + a.get(2).id()), text.message(s));
        String line = new ConsoleFormat(ZoneId.of("Europe/London")).format(s);
        assertTrue(line.startsWith("2026-11-24 21:05:00  WARNING  summary             2 held on phone"), line);
        assertTrue(line.contains(a.get(3).id()), line);
    }

    @Test
    void stoppingEndsEveryWindowAtOnce() {
        holds("phone", Alerts.unknownFace());
        holds("phone", Alerts.unknownFace());
        assertTrue(holds("phone", Alerts.unknownFace()));
        clock.advance(java.time.Duration.ofSeconds(30));
        List<Alert> flushed = guard.closeAll();
        assertEquals(1, flushed.size());
        assertEquals(clock.instant(), flushed.get(0).summary().windowEnd(), "ended early, when Vigil stopped");
    }
}
