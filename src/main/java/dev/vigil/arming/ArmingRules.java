package dev.vigil.arming;

import dev.vigil.config.HomeArming;
import dev.vigil.config.Household;
import dev.vigil.config.Policy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic arming: the household's {@code arming.schedule} and {@code presence}. The latest event wins: a
 * schedule window's start puts its mode in force, its end the mode presence says; everyone leaving puts
 * {@code arming.awayMode} (away) in force, someone coming home the mode the schedule says (home outside a
 * window). A manual change holds until the next such event. {@link #tick} runs every
 * vigil.arming.check-interval; a window that began or ended while Vigil was stopped applies at the first tick
 * if it is newer than the mode in force.
 */
public class ArmingRules {

    private static final Logger LOG = LoggerFactory.getLogger(ArmingRules.class);

    private final Arming arming;
    private final Map<String, Boolean> home = new ConcurrentHashMap<>();
    private volatile Household household;
    private volatile Boolean everyoneAway;

    public ArmingRules(Arming arming, Household household) {
        this.arming = arming;
        this.household = household;
    }

    /** A live edit of the household file: its schedule and presence sources apply from now on. */
    public synchronized void household(Household h) {
        this.household = h;
        home.keySet().retainAll(h.presence().keySet());
        arming.householdMode(h.policy().mode());
    }

    /** The schedule: applies the latest window start or end if it is newer than the mode in force. */
    public synchronized void tick(Instant now) {
        HomeArming a = household.arming();
        if (a.schedule().isEmpty()) {
            return;
        }
        ZoneId zone = household.policy().timeZone();
        Instant latest = null;
        HomeArming.Window latestWindow = null;
        boolean latestIsStart = false;
        for (HomeArming.Window w : a.schedule()) {
            Instant start = lastAtOrBefore(now, zone, w.from());
            Instant end = lastAtOrBefore(now, zone, w.to());
            if (latest == null || start.isAfter(latest)) {
                latest = start;
                latestWindow = w;
                latestIsStart = true;
            }
            if (end.isAfter(latest)) {
                latest = end;
                latestWindow = w;
                latestIsStart = false;
            }
        }
        if (!latest.isAfter(arming.state().since())) {
            return;
        }
        String window = name(latestWindow);
        if (latestIsStart) {
            arming.set(latestWindow.mode(), ModeState.Reason.SCHEDULE, window + " began");
        } else {
            Policy.Mode after = Boolean.TRUE.equals(everyoneAway) ? a.awayMode() : Policy.Mode.HOME;
            arming.set(after, ModeState.Reason.SCHEDULE, window + " ended");
        }
    }

    /** The schedule now (the armingSchedule route's timer). */
    public void tick() {
        tick(Instant.now());
    }

    /** A message on a presence topic: the state of each person whose presence source it is. */
    public void presenceMessage(String topic, String payload) {
        household.presence().forEach((person, source) -> {
            if (source.topic().equals(topic)) {
                presence(person, payload);
            }
        });
    }

    /** A presence message: {@code payload} is the person's state (home, not_home, ...). */
    public synchronized void presence(String person, String payload) {
        HomeArming.Presence source = household.presence().get(person);
        if (source == null) {
            return;
        }
        home.put(person, source.isHome(payload));
        if (!home.keySet().containsAll(household.presence().keySet())) {
            return; // not everyone has reported yet
        }
        boolean away = !home.containsValue(true);
        if (everyoneAway != null && everyoneAway == away) {
            return;
        }
        boolean first = everyoneAway == null;
        everyoneAway = away;
        if (away) {
            arming.set(household.arming().awayMode(), ModeState.Reason.PRESENCE, "everyone away");
        } else if (!first || (arming.state().reason() == ModeState.Reason.PRESENCE
                && arming.mode() == household.arming().awayMode())) {
            String who = household.people().stream().filter(p -> Boolean.TRUE.equals(home.get(p.id())))
                    .map(p -> p.id()).findFirst().orElse("someone");
            arming.set(scheduled(Instant.now()), ModeState.Reason.PRESENCE, who + " came home");
        }
        LOG.debug("presence: everyone away = {}", away);
    }

    /** The mode the schedule says for {@code now}: a window's mode inside it, else home. */
    Policy.Mode scheduled(Instant now) {
        java.time.LocalTime t = now.atZone(household.policy().timeZone()).toLocalTime();
        return household.arming().schedule().stream().filter(w -> w.contains(t)).map(HomeArming.Window::mode)
                .findFirst().orElse(Policy.Mode.HOME);
    }

    private static Instant lastAtOrBefore(Instant now, ZoneId zone, java.time.LocalTime time) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate day = local.toLocalDate();
        ZonedDateTime at = day.atTime(time).atZone(zone);
        return (at.toInstant().isAfter(now) ? day.minusDays(1).atTime(time).atZone(zone) : at).toInstant();
    }

    private static String name(HomeArming.Window w) {
        return w.mode().name().toLowerCase(Locale.ROOT) + " " + w.from() + "-" + w.to();
    }
}
