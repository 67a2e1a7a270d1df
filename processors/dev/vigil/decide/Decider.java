package dev.vigil.decide;

import dev.vigil.Headers;
import dev.vigil.config.Household;
import dev.vigil.config.Policy;
import dev.vigil.decide.Classifier.Classification;
import dev.vigil.decide.Directory.CameraView;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision step: classifies each observation, groups it into a visit, and returns the alerts the
 * visit earns (usually none). Works in event time only, so replaying the same records gives the same
 * alerts with the same ids. State is per camera; cameras are independent. Each observation first passes the
 * camera's {@link FrameGate}: a frame seen before changes nothing, and a reordered or late frame is decided
 * against the visits at its own event time (docs/deciding.md).
 *
 * <p>Over 250 lines on purpose: visits, the frame gate's event time, held alerts and the policy meet in
 * one synchronized step per camera; splitting it would spread one lock's invariants over several classes.
 */
public class Decider implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(Decider.class);

    private volatile Directory directory;
    private volatile Policy policy;
    private volatile PolicyEvaluator evaluator;
    private final java.util.function.Supplier<Policy.Mode> mode;
    private final MeterRegistry metrics;
    private final ConcurrentMap<String, CameraVisits> cameras = new ConcurrentHashMap<>();
    private volatile MatchCorrections corrections = MatchCorrections.NONE;
    private final FrameGate frames;
    private volatile VisitWatcher watcher = VisitWatcher.NONE;
    // meters looked up once, not per observation (issue 15)
    private final Map<Outcome, Counter> observed = new EnumMap<>(Outcome.class);
    private final Map<AlertType, Counter> decided = new EnumMap<>(AlertType.class);
    private final Counter visitsOpened;

    /** Decides in the household file's mode (policy.mode). */
    public Decider(Household household, MeterRegistry metrics) {
        this(household, new FrameGate(FrameGate.Rules.DEFAULTS, metrics), metrics);
    }

    /** @param mode the arming mode in force (the mode service): read for each visit that alerts */
    public Decider(Household household, MeterRegistry metrics, java.util.function.Supplier<Policy.Mode> mode) {
        this(household, new FrameGate(FrameGate.Rules.DEFAULTS, metrics), metrics, mode);
    }

    public Decider(Household household, FrameGate frames, MeterRegistry metrics) {
        this(household, frames, metrics, household.policy()::mode);
    }

    public Decider(Household household, FrameGate frames, MeterRegistry metrics,
                   java.util.function.Supplier<Policy.Mode> mode) {
        this.frames = frames;
        this.mode = mode;
        this.metrics = metrics;
        for (Outcome outcome : Outcome.values()) {
            observed.put(outcome, metrics.counter("vigil.observations", "outcome", outcome.name().toLowerCase(Locale.ROOT)));
        }
        for (AlertType type : AlertType.values()) {
            decided.put(type, metrics.counter("vigil.alerts.decided", "type", type.wire()));
        }
        this.visitsOpened = metrics.counter("vigil.visits");
        household(household);
    }

    /**
     * Decides with this household from now on (a live edit of the household file): people, cameras' thresholds
     * and policy. Open visits and cooldowns are kept.
     */
    public void household(Household household) {
        Directory d = new Directory(household);
        Policy p = household.policy();
        this.evaluator = new PolicyEvaluator(p, d, mode);
        this.policy = p;
        this.directory = d;
    }

    /** The household's false-match corrections (teaching, docs/teaching.md); none unless set. */
    public void corrections(MatchCorrections corrections) {
        this.corrections = corrections;
    }

    /**
     * The route step as a processor (no bean-method lookup per observation): the body, an observation or the
     * observations of one record (one per face, decided in face order), becomes the alerts they earn; the arrival
     * time a live source set (exchange property VigilArrivedAt; absent in replays) feeds the camera clock check.
     * A record's faces used to be split in the route, which cost a choice and a body step per record, or a split's
     * copy of the exchange per face (issue 15).
     */
    @Override
    public void process(Exchange exchange) {
        List<Alert> alerts;
        if (exchange.getMessage().getBody() instanceof List<?> observations) {
            Instant arrivedAt = exchange.getProperty(Headers.ARRIVED_AT, Instant.class);
            alerts = List.of();
            for (Object o : observations) {
                alerts = plus(alerts, decide((FaceObservation) o, arrivedAt));
            }
        } else {
            alerts = decideFrame(exchange);
        }
        // a record the stream's previous owner handled only rebuilds the state (docs/deciding.md section 5)
        exchange.getMessage().setBody(exchange.getProperty(Headers.REBUILDING, false, Boolean.class) ? List.of() : alerts);
    }

    public List<Alert> decide(FaceObservation o) {
        return decide(o, null);
    }

    /**
     * The route step: the exchange's observation, with the arrival time a live source set (exchange property
     * VigilArrivedAt; absent in replays) for the camera clock check.
     */
    public List<Alert> decideFrame(Exchange exchange) {
        return decide(exchange.getMessage().getBody(FaceObservation.class),
                exchange.getProperty(Headers.ARRIVED_AT, Instant.class));
    }

    public List<Alert> decide(FaceObservation o, Instant arrivedAt) {
        CameraView camera = directory.camera(o.cameraKey());
        CameraVisits visits = cameras.computeIfAbsent(camera.id(), id -> new CameraVisits());
        synchronized (visits) {
            FrameGate.Admission frame = frames.admit(camera.id(), o, arrivedAt);
            if (frame.duplicate()) {
                return List.of();
            }
            visits.deciding();
            Classification c = Classifier.classify(o, corrections.thresholds(camera.id(), o.bestMatch(), camera.thresholds()));
            observed.get(c.outcome()).increment();
            visits.expire(frame.watermark(), policy.visit().window(), policy.visit().cooldown(),
                    frames.rules().lateHorizon());
            List<Alert> alerts = visits.heldCount() == 0 ? List.of() : releaseHeld(visits, camera, frame.watermark(), null);
            Visit visit = visitFor(visits, camera, c, o);
            boolean agrees = visit.outcome == c.outcome();
            Instant firstBefore = visit.firstSeen;
            visits.uses(firstBefore);
            visit.add(o, agrees, policy.visit().minFrames());
            if (agrees && !visit.decided && o.frameTime().isBefore(firstBefore)) {
                visit.id = AlertIds.visitId(camera.id(), visit.identity, o); // an earlier frame arrived: re-anchor
            }
            // a frame behind the camera's newest can link visits that formed apart only because it came late
            boolean merged = frame.order() != FrameGate.Order.IN_ORDER
                    && visits.mergeLater(visit, policy.visit().window(), policy.visit().minFrames());
            boolean wasDecided = visit.decided;
            List<Alert> out = agrees || merged ? plus(alerts, decide(visits, visit, camera, frame)) : alerts;
            visits.decided(o.frameTime());
            watcher.frame(camera.id(), visit.id, visit.outcome, visit.alerted,
                    c.match() == null ? null : c.match().personId(), o.frameTime(), visit.decided && !wasDecided);
            return out;
        }
    }

    /**
     * Declares over how many shards a camera's frames come, as its source knows at start (the Kinesis source: its
     * results stream's open shards). With more than one, its visits' first alerts wait for the reorder window.
     */
    public void shards(String cameraId, int count) {
        frames.shards(cameraId, count);
    }

    /** Who hears of each frame added to a visit (one watcher; Home Assistant's sensors). */
    public void watch(VisitWatcher watcher) {
        this.watcher = watcher;
    }

    /**
     * The held alerts that are due: their camera sent no frame for the reorder window (wall clock). Called by
     * the timer route in 20-decide.
     */
    public List<Alert> releaseDue() {
        Instant now = frames.clock().instant();
        List<Alert> due = List.of();
        for (java.util.Map.Entry<String, CameraVisits> e : cameras.entrySet()) {
            CameraVisits visits = e.getValue();
            synchronized (visits) {
                if (visits.heldCount() > 0) {
                    due = plus(due, releaseHeld(visits, directory.cameraById(e.getKey()), null, now));
                }
            }
        }
        return due;
    }

    /**
     * Releases, in event-time order, the held alerts whose first frame the watermark passed by the reorder window,
     * or whose time is up.
     */
    private List<Alert> releaseHeld(CameraVisits visits, CameraView camera, Instant watermark, Instant now) {
        List<Alert> out = List.of();
        for (Visit v : visits.heldInOrder()) {
            if (v.held && ((watermark != null && settled(v, watermark)) || (now != null && !now.isBefore(v.heldUntil)))) {
                out = plus(out, release(visits, v, camera));
            }
        }
        return out;
    }

    private boolean settled(Visit v, Instant watermark) {
        return !watermark.isBefore(v.firstSeen.plus(frames.rules().reorderWindow()));
    }

    private static List<Alert> plus(List<Alert> a, List<Alert> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<Alert> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The earliest frame time of the records this camera's decisions still depend on (see
     * {@link CameraVisits#retainSince()}), or null. A live source checkpoints only before it, so that after a
     * crash the replayed records rebuild the same visits and alert ids.
     */
    public Instant retainSince(String cameraKey) {
        CameraVisits visits = cameras.get(directory.camera(cameraKey).id());
        if (visits == null) {
            return null;
        }
        synchronized (visits) {
            return visits.retainSince();
        }
    }

    /** A copy of the visits a camera keeps, as (identity, first seen, last seen): for tests of their invariants. */
    List<String[]> visitsOf(String cameraId) {
        CameraVisits visits = cameras.get(cameraId);
        if (visits == null) {
            return List.of();
        }
        synchronized (visits) {
            return visits.all().stream().map(v -> new String[] {v.identity, v.firstSeen.toString(), v.lastSeen.toString()})
                    .toList();
        }
    }

    /**
     * The visit a frame joins, as in event-time order: a visit that was of its identity by the frame's time;
     * else (a known face) an unknown or suspected visit that had alerted by then, now identified; else (an
     * unidentified face) a known person's visit. Else a visit of its identity that began later (this frame is its
     * first), else a new one.
     */
    private Visit visitFor(CameraVisits visits, CameraView camera, Classification c, FaceObservation o) {
        String identity = Identity.of(c);
        Duration window = policy.visit().window();
        Visit visit = visits.find(identity, o.frameTime(), window, true);
        if (visit != null) {
            return visit;
        }
        if (c.outcome() == Outcome.KNOWN) {
            Visit earlier = visits.alertedUnidentified(identity, c.match(), o, window);
            if (earlier != null) {
                if (!earlier.identity.equals(identity)) {
                    earlier.identifiedAs(identity);
                }
                return earlier;
            }
        } else {
            Visit known = visits.knownNotInFrame(o, window);
            if (known != null) {
                return known;
            }
        }
        Visit later = visits.find(identity, o.frameTime(), window, false);
        if (later != null) {
            return later;
        }
        Visit fresh = new Visit(AlertIds.visitId(camera.id(), identity, o), identity, c.outcome(), o.frameTime());
        visits.add(fresh);
        visitsOpened.increment();
        return fresh;
    }

    /**
     * The alert the visit earns now, if any. On a camera whose frames come over several shards, a visit's first
     * alert is held until no earlier frame can arrive within the reorder window (released by a later frame or
     * {@link #releaseDue()}); elsewhere it goes out at once.
     */
    private List<Alert> decide(CameraVisits visits, Visit v, CameraView camera, FrameGate.Admission frame) {
        boolean updateDue = v.identifiedAfterAlert;
        if ((v.decided && !updateDue) || v.held || v.agreeing < policy.visit().minFrames()) {
            return List.of();
        }
        v.heldLate = frame.order() == FrameGate.Order.LATE;
        if (!updateDue && frame.sharded() && !settled(v, frame.watermark())) {
            v.held = true;
            v.heldUntil = frames.clock().instant().plus(frames.rules().reorderWindow());
            visits.holding(1);
            return List.of();
        }
        return release(visits, v, camera);
    }

    /** Decides the visit at its deciding frame (the last of its earliest agreeing frames, in event time). */
    private List<Alert> release(CameraVisits visits, Visit v, CameraView camera) {
        if (v.held) {
            v.held = false;
            visits.holding(-1);
        }
        FaceObservation o = v.deciding();
        FaceMatch match = o.bestMatch();
        boolean updateDue = v.identifiedAfterAlert;
        v.decided = true;
        v.identifiedAfterAlert = false;
        AlertType type = updateDue ? AlertType.VISIT_UPDATE : AlertType.of(v.outcome);
        String personId = match == null ? null : match.personId();
        PolicyEvaluator.Verdict verdict = evaluator.evaluate(type, camera.id(), personId, o.frameTime());
        if (!verdict.alerts()) {
            LOG.debug("visit {} camera {} {}: no alert ({})", v.id, camera.id(), type.wire(), verdict.reason());
            return List.of();
        }
        if (!updateDue && visits.coolingDown(v.identity, o.frameTime(), policy.visit().cooldown())) {
            LOG.debug("visit {} camera {} {}: no alert (cooldown)", v.id, camera.id(), type.wire());
            return List.of();
        }
        Alert alert = alert(type, verdict, v, camera, match, o, v.heldLate);
        visits.alerted(v.identity, o.frameTime(), v.firstSeen);
        v.alerted = type;
        decided.get(type).increment();
        if (v.alertedAt == null) {
            v.alertedAt = o.frameTime();
            // a known person's visit that began after this alert (in event time) but came before it identifies it
            if (!updateDue && v.outcome != Outcome.KNOWN
                    && visits.mergeLater(v, policy.visit().window(), policy.visit().minFrames())
                    && v.identifiedAfterAlert && v.agreeing >= policy.visit().minFrames()) {
                return plus(List.of(alert), release(visits, v, camera));
            }
        }
        return List.of(alert);
    }

    private Alert alert(AlertType type, PolicyEvaluator.Verdict verdict, Visit v, CameraView camera, FaceMatch match,
                        FaceObservation o, boolean late) {
        Alert.Person person = match == null ? null : new Alert.Person(match.personId(),
                directory.person(match.personId()).map(Household.Person::name).orElse(match.personId()),
                match.similarity(), match.faceId());
        Instant observedAt = o.frameTime();
        return new Alert(Alert.VERSION, AlertIds.alertId(v.id, type), type, verdict.severity(),
                Reasons.describe(type, v, match, verdict), new Alert.Camera(camera.id(), camera.name(), camera.location()),
                person, new Alert.Visit(v.id, v.firstSeen, v.lastSeen, v.frames), observedAt,
                observedAt.plus(policy.alertTtl()), late, false, Alert.FaceSummary.of(o.face()), Alert.SourceRef.of(o.source()));
    }

    /** What the decision state holds now: cameras, open visits, cooldowns (the memory benchmark prints it). */
    public String stateSummary() {
        int visits = 0;
        int cooldowns = 0;
        for (CameraVisits v : cameras.values()) {
            synchronized (v) {
                visits += v.openVisits();
                cooldowns += v.cooldowns();
            }
        }
        return cameras.size() + " cameras, " + visits + " open visits, " + cooldowns + " cooldowns";
    }
}
