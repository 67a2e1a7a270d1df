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
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision step: classifies each observation, groups it into a visit, and returns the alerts the
 * visit earns (usually none). Works in event time only, so replaying the same records gives the same
 * alerts with the same ids. State is per camera; cameras are independent. Each observation first passes the
 * camera's {@link FrameGate}: a frame seen before changes nothing, and a reordered or late frame is decided
 * against the visits at its own event time (docs/deciding.md).
 */
public class Decider {

    private static final Logger LOG = LoggerFactory.getLogger(Decider.class);

    private final Directory directory;
    private final Policy policy;
    private final PolicyEvaluator evaluator;
    private final MeterRegistry metrics;
    private final ConcurrentMap<String, CameraVisits> cameras = new ConcurrentHashMap<>();
    private final FrameGate frames;

    public Decider(Household household, MeterRegistry metrics) {
        this(household, new FrameGate(FrameGate.Rules.DEFAULTS, metrics), metrics);
    }

    public Decider(Household household, FrameGate frames, MeterRegistry metrics) {
        this.frames = frames;
        this.directory = new Directory(household);
        this.policy = household.policy();
        this.evaluator = new PolicyEvaluator(policy, directory);
        this.metrics = metrics;
    }

    public List<Alert> decide(FaceObservation o) {
        return decide(o, null);
    }

    /**
     * The route step.
     *
     * @param arrivedAt when a live source received the record (null for replays): for the camera clock check
     */
    public List<Alert> decideFrame(FaceObservation o, @ExchangeProperty(Headers.ARRIVED_AT) Instant arrivedAt) {
        return decide(o, arrivedAt);
    }

    public List<Alert> decide(FaceObservation o, Instant arrivedAt) {
        CameraView camera = directory.camera(o.cameraKey());
        CameraVisits visits = cameras.computeIfAbsent(camera.id(), id -> new CameraVisits());
        synchronized (visits) {
            FrameGate.Admission frame = frames.admit(camera.id(), o, arrivedAt);
            if (frame.duplicate()) {
                return List.of();
            }
            Classification c = Classifier.classify(o, camera.thresholds());
            metrics.counter("vigil.observations", "outcome", c.outcome().name().toLowerCase(Locale.ROOT)).increment();
            visits.expire(frame.watermark(), policy.visit().window(), policy.visit().cooldown(),
                    frames.rules().lateHorizon());
            Visit visit = visitFor(visits, camera, c, o);
            boolean agrees = visit.outcome == c.outcome();
            Instant firstBefore = visit.firstSeen;
            visit.add(o, agrees);
            if (agrees && !visit.decided && o.frameTime().isBefore(firstBefore)) {
                visit.id = AlertIds.visitId(camera.id(), visit.identity, o); // an earlier frame arrived: re-anchor
            }
            return agrees ? decide(visits, visit, camera, c, frame.order() == FrameGate.Order.LATE) : List.of();
        }
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

    private Visit visitFor(CameraVisits visits, CameraView camera, Classification c, FaceObservation o) {
        String identity = Identity.of(c);
        Duration window = policy.visit().window();
        Visit visit = visits.find(identity, o.frameTime(), window);
        if (visit != null) {
            return visit;
        }
        if (c.outcome() == Outcome.KNOWN) {
            Visit earlier = visits.alertedUnidentified(c.match(), o, window);
            if (earlier != null) {
                earlier.identifiedAs(identity);
                return earlier;
            }
        } else {
            Visit known = visits.knownNotInFrame(o, window);
            if (known != null) {
                return known;
            }
        }
        Visit fresh = new Visit(AlertIds.visitId(camera.id(), identity, o), identity, c.outcome(), o.frameTime());
        visits.add(fresh);
        metrics.counter("vigil.visits").increment();
        return fresh;
    }

    /** The alert the visit earns now, if any, decided at its newest agreeing frame; stale when a late frame made it. */
    private List<Alert> decide(CameraVisits visits, Visit v, CameraView camera, Classification c, boolean late) {
        FaceObservation o = v.latest;
        FaceMatch match = o.bestMatch();
        boolean updateDue = v.identifiedAfterAlert;
        if ((v.decided && !updateDue) || v.agreeing < policy.visit().minFrames()) {
            return List.of();
        }
        v.decided = true;
        v.identifiedAfterAlert = false;
        AlertType type = updateDue ? AlertType.VISIT_UPDATE : AlertType.of(c.outcome());
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
        Alert alert = alert(type, verdict, v, camera, match, o, late);
        visits.alerted(v.identity, o.frameTime(), v.firstSeen);
        v.alerted = type;
        metrics.counter("vigil.alerts.decided", "type", type.wire()).increment();
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
}
