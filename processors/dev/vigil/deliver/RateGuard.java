package dev.vigil.deliver;

import dev.vigil.Headers;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * A per-channel ceiling: at most {@code max} alerts per window (which starts with the first alert after
 * the last one ended); the channel's further alerts in the window are held and, once it ends, folded into
 * one summary alert for that channel. Critical alerts are never held and do not use up the ceiling when
 * {@code exemptCritical}. Summaries themselves are never held.
 */
public class RateGuard {

    /** Exchange property: the id of the summary a held alert will be part of. */
    public static final String SUMMARY_ID = "VigilSummaryId";

    public record Limit(int max, Duration per) {
    }

    private static final class Window {
        final Instant start;
        final Instant end;
        int passed;
        final List<Alert> held = new ArrayList<>();

        Window(Instant start, Duration per) {
            this.start = start;
            this.end = start.plus(per);
        }
    }

    private final Map<String, Limit> limits;
    private final boolean exemptCritical;
    private final Clock clock;
    private final Map<String, Window> open = new HashMap<>();
    private final List<Map.Entry<String, Window>> ended = new ArrayList<>();

    public RateGuard(Map<String, Limit> limits, boolean exemptCritical, Clock clock) {
        this.limits = Map.copyOf(limits);
        this.exemptCritical = exemptCritical;
        this.clock = clock;
    }

    /** True when this channel's alert is over the ceiling and is held for the window's summary. */
    public synchronized boolean holds(Alert alert, Exchange exchange) {
        String channel = exchange.getProperty(Headers.CHANNEL, String.class);
        Limit limit = limits.get(channel);
        if (limit == null || limit.max() <= 0 || alert.type() == AlertType.SUMMARY
                || (exemptCritical && alert.severity() == Severity.CRITICAL)) {
            return false;
        }
        Instant now = clock.instant();
        Window w = open.get(channel);
        if (w == null || !now.isBefore(w.end)) {
            if (w != null && !w.held.isEmpty()) {
                ended.add(Map.entry(channel, w));
            }
            w = new Window(now, limit.per());
            open.put(channel, w);
        }
        if (w.passed < limit.max()) {
            w.passed++;
            return false;
        }
        w.held.add(alert);
        exchange.setProperty(SUMMARY_ID, summaryId(channel, w.start));
        return true;
    }

    /** The summaries of every window that has ended with alerts held, each for its own channel; once each. */
    public List<Alert> due() {
        return close(false);
    }

    /** On shutdown: every window ends now, so no held alert is left out of a summary. */
    public List<Alert> closeAll() {
        return close(true);
    }

    private synchronized List<Alert> close(boolean all) {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Window>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> e = it.next();
            if (all || !now.isBefore(e.getValue().end)) {
                it.remove();
                if (!e.getValue().held.isEmpty()) {
                    ended.add(e);
                }
            }
        }
        List<Alert> summaries = ended.stream().map(e -> summary(e.getKey(), e.getValue(), now)).toList();
        ended.clear();
        return summaries;
    }

    private Alert summary(String channel, Window w, Instant now) {
        Limit limit = limits.get(channel);
        Alert last = w.held.get(w.held.size() - 1);
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> byCamera = new TreeMap<>();
        for (Alert a : w.held) {
            byType.merge(a.type().wire(), 1, Integer::sum);
            byCamera.merge(a.camera().id(), 1, Integer::sum);
        }
        Severity severity = w.held.stream().map(Alert::severity).max(Comparator.naturalOrder()).orElse(Severity.INFO);
        boolean replayed = w.held.stream().allMatch(Alert::replayed);
        Alert.Summary s = new Alert.Summary(channel, w.start, now.isBefore(w.end) ? now : w.end, limit.max(), w.held.size(), byType, byCamera,
                w.held.stream().map(Alert::id).toList());
        String reason = w.held.size() + " alerts held back: over this channel's ceiling of " + limit.max()
                + " per " + limit.per().toString().substring(2).toLowerCase() + "; the latest is described here";
        return new Alert(Alert.VERSION, summaryId(channel, w.start), AlertType.SUMMARY, severity, reason,
                last.camera(), null, last.visit(), last.observedAt(), last.expiresAt(), false, replayed, last.face(),
                last.source(), s);
    }

    static String summaryId(String channel, Instant windowStart) {
        return UUID.nameUUIDFromBytes(("summary:" + channel + ":" + windowStart).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
