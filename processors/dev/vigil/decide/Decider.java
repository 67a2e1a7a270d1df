package dev.vigil.decide;

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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision step: classifies each observation, groups it into a visit, and returns the alerts the
 * visit earns (usually none). Works in event time only, so replaying the same records gives the same
 * alerts with the same ids. State is per camera; cameras are independent.
 */
public class Decider {

    private static final Logger LOG = LoggerFactory.getLogger(Decider.class);

    private final Directory directory;
    private final Policy policy;
    private final PolicyEvaluator evaluator;
    private final MeterRegistry metrics;
    private final ConcurrentMap<String, CameraVisits> cameras = new ConcurrentHashMap<>();
    private volatile MatchCorrections corrections = MatchCorrections.NONE;

    /** Decides in the household file's mode (policy.mode). */
    public Decider(Household household, MeterRegistry metrics) {
        this(household, metrics, household.policy()::mode);
    }

    /** @param mode the arming mode in force (the mode service): read for each visit that alerts */
    public Decider(Household household, MeterRegistry metrics, java.util.function.Supplier<Policy.Mode> mode) {
        this.directory = new Directory(household);
        this.policy = household.policy();
        this.evaluator = new PolicyEvaluator(policy, directory, mode);
        this.metrics = metrics;
    }

    /** The household's false-match corrections (teaching, docs/teaching.md); none unless set. */
    public void corrections(MatchCorrections corrections) {
        this.corrections = corrections;
    }

    public List<Alert> decide(FaceObservation o) {
        CameraView camera = directory.camera(o.cameraKey());
        Classification c = Classifier.classify(o, corrections.thresholds(camera.id(), o.bestMatch(), camera.thresholds()));
        metrics.counter("vigil.observations", "outcome", c.outcome().name().toLowerCase(Locale.ROOT)).increment();
        CameraVisits visits = cameras.computeIfAbsent(camera.id(), id -> new CameraVisits());
        synchronized (visits) {
            visits.expire(o.frameTime(), policy.visit().window(), policy.visit().cooldown());
            Visit visit = visitFor(visits, camera, c, o);
            boolean agrees = visit.outcome == c.outcome();
            visit.add(o, agrees);
            return agrees ? decide(visits, visit, camera, c, o) : List.of();
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

    private Visit visitFor(CameraVisits visits, CameraView camera, Classification c, FaceObservation o) {
        String identity = Identity.of(c);
        Visit visit = visits.find(identity);
        if (visit != null) {
            return visit;
        }
        if (c.outcome() == Outcome.KNOWN) {
            Visit earlier = visits.alertedUnidentified(c.match(), o);
            if (earlier != null) {
                earlier.identifiedAs(identity);
                return earlier;
            }
        } else {
            Visit known = visits.knownNotInFrame(o);
            if (known != null) {
                return known;
            }
        }
        Visit fresh = new Visit(AlertIds.visitId(camera.id(), identity, o), identity, c.outcome(), o.frameTime());
        visits.add(fresh);
        metrics.counter("vigil.visits").increment();
        return fresh;
    }

    private List<Alert> decide(CameraVisits visits, Visit v, CameraView camera, Classification c, FaceObservation o) {
        boolean updateDue = v.identifiedAfterAlert;
        if ((v.decided && !updateDue) || v.agreeing < policy.visit().minFrames()) {
            return List.of();
        }
        v.decided = true;
        v.identifiedAfterAlert = false;
        AlertType type = updateDue ? AlertType.VISIT_UPDATE : AlertType.of(c.outcome());
        String personId = c.match() == null ? null : c.match().personId();
        PolicyEvaluator.Verdict verdict = evaluator.evaluate(type, camera.id(), personId, o.frameTime());
        if (!verdict.alerts()) {
            LOG.debug("visit {} camera {} {}: no alert ({})", v.id, camera.id(), type.wire(), verdict.reason());
            return List.of();
        }
        if (!updateDue && visits.coolingDown(v.identity, o.frameTime(), policy.visit().cooldown())) {
            LOG.debug("visit {} camera {} {}: no alert (cooldown)", v.id, camera.id(), type.wire());
            return List.of();
        }
        Alert alert = alert(type, verdict, v, camera, c.match(), o);
        visits.alerted(v.identity, o.frameTime(), v.firstSeen);
        v.alerted = type;
        metrics.counter("vigil.alerts.decided", "type", type.wire()).increment();
        return List.of(alert);
    }

    private Alert alert(AlertType type, PolicyEvaluator.Verdict verdict, Visit v, CameraView camera, FaceMatch match,
                        FaceObservation o) {
        Alert.Person person = match == null ? null : new Alert.Person(match.personId(),
                directory.person(match.personId()).map(Household.Person::name).orElse(match.personId()),
                match.similarity(), match.faceId());
        Instant observedAt = o.frameTime();
        return new Alert(Alert.VERSION, AlertIds.alertId(v.id, type), type, verdict.severity(),
                Reasons.describe(type, v, match, verdict), new Alert.Camera(camera.id(), camera.name(), camera.location()),
                person, new Alert.Visit(v.id, v.firstSeen, v.lastSeen, v.frames), observedAt,
                observedAt.plus(policy.alertTtl()), false, false, Alert.FaceSummary.of(o.face()), Alert.SourceRef.of(o.source()));
    }
}
