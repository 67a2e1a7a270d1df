package dev.vigil.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts every billable call of the image engine per camera and turns it into an estimated spend with the
 * price table: Micrometer counters {@code vigil.rekognition.calls{camera,api}}, {@code vigil.kvs.calls{camera,api}}
 * and {@code vigil.estimated.cost{camera}} (base unit usd; Prometheus: vigil_rekognition_calls_total,
 * vigil_estimated_cost_usd_total), and the gauge {@code vigil.image.budget.level{camera}} (0 normal, 1 slow,
 * 2 motion only). Labels carry camera ids only, never names.
 * <p>
 * Budgets are per day in the household's time zone, per camera and for the whole household: at
 * {@code slowAt} of either, the camera samples less often; at the full budget it stops calling Rekognition
 * and reports motion only, until midnight.
 */
public final class CostMeter {

    /** The calls that cost money, with their AWS operation names (the api label). */
    public enum Api {
        DETECT_FACES("DetectFaces"), SEARCH_FACES_BY_IMAGE("SearchFacesByImage"), GET_IMAGES("GetImages");

        final String operation;

        Api(String operation) {
            this.operation = operation;
        }

        public String operation() {
            return operation;
        }
    }

    /** How much a camera may still spend today: everything, less often, or no Rekognition calls at all. */
    public enum Level { NORMAL, SLOW, MOTION_ONLY }

    /** US dollars per call (per image for Rekognition). */
    public record Prices(double rekognitionImage, double getImages) {
        double of(Api api) {
            return api == Api.GET_IMAGES ? getImages : rekognitionImage;
        }
    }

    /**
     * @param cameraDailyUsd    default daily budget of one camera (a camera's image.dailyBudgetUsd wins)
     * @param householdDailyUsd daily budget of all cameras together
     * @param slowAt            share of a budget (0..1) after which sampling slows down
     */
    public record Budget(double cameraDailyUsd, double householdDailyUsd, double slowAt) {
    }

    private final Prices prices;
    private final Budget budget;
    private final Map<String, Double> cameraBudgets;
    private final ZoneId zone;
    private final MeterRegistry metrics;
    private final Map<String, Double> spentToday = new HashMap<>();
    private final Map<String, Map<Api, Integer>> callsToday = new HashMap<>();
    private final Map<String, AtomicInteger> levels = new HashMap<>();
    private LocalDate day;

    public CostMeter(Prices prices, Budget budget, Map<String, Double> cameraBudgets, ZoneId zone, MeterRegistry metrics) {
        this.prices = prices;
        this.budget = budget;
        this.cameraBudgets = Map.copyOf(cameraBudgets);
        this.zone = zone;
        this.metrics = metrics;
    }

    /** Counts {@code count} calls (images) of one api for a camera, made at {@code at}. */
    public synchronized void charge(String camera, Api api, int count, Instant at) {
        rollOver(at);
        double cost = prices.of(api) * count;
        spentToday.merge(camera, cost, Double::sum);
        callsToday.computeIfAbsent(camera, c -> new java.util.EnumMap<>(Api.class)).merge(api, count, Integer::sum);
        String meter = api == Api.GET_IMAGES ? "vigil.kvs.calls" : "vigil.rekognition.calls";
        metrics.counter(meter, "camera", camera, "api", api.operation()).increment(count);
        Counter.builder("vigil.estimated.cost").baseUnit("usd").tag("camera", camera)
                .description("estimated spend of the image engine's calls, from the price table")
                .register(metrics).increment(cost);
    }

    /** The camera's level at {@code at}: the stricter of its own budget and the household's. */
    public synchronized Level level(String camera, Instant at) {
        rollOver(at);
        double cameraBudget = cameraBudgets.getOrDefault(camera, budget.cameraDailyUsd());
        double household = spentToday.values().stream().mapToDouble(Double::doubleValue).sum();
        Level level = max(level(spentToday.getOrDefault(camera, 0.0), cameraBudget),
                level(household, budget.householdDailyUsd()));
        levels.computeIfAbsent(camera, c -> metrics.gauge("vigil.image.budget.level",
                io.micrometer.core.instrument.Tags.of("camera", c), new AtomicInteger())).set(level.ordinal());
        return level;
    }

    /** Today's estimated spend of one camera, in US dollars. */
    public synchronized double spentToday(String camera) {
        return spentToday.getOrDefault(camera, 0.0);
    }

    /** Today's calls of one camera and api. */
    public synchronized int callsToday(String camera, Api api) {
        return callsToday.getOrDefault(camera, Map.of()).getOrDefault(api, 0);
    }

    /** Whether the camera's own budget (rather than the household's) is the one that is running out. */
    public synchronized boolean householdLimited(String camera, Instant at) {
        rollOver(at);
        double household = spentToday.values().stream().mapToDouble(Double::doubleValue).sum();
        return level(household, budget.householdDailyUsd()).ordinal()
                >= level(spentToday.getOrDefault(camera, 0.0),
                cameraBudgets.getOrDefault(camera, budget.cameraDailyUsd())).ordinal()
                && level(household, budget.householdDailyUsd()) != Level.NORMAL;
    }

    public synchronized double budgetOf(String camera) {
        return cameraBudgets.getOrDefault(camera, budget.cameraDailyUsd());
    }

    public Budget budget() {
        return budget;
    }

    public Prices prices() {
        return prices;
    }

    /** The budget day ({@code at} in the household's zone): spend starts from zero at midnight. */
    public LocalDate day(Instant at) {
        return at.atZone(zone).toLocalDate();
    }

    private Level level(double spent, double limit) {
        if (spent >= limit) {
            return Level.MOTION_ONLY;
        }
        return spent >= limit * budget.slowAt() ? Level.SLOW : Level.NORMAL;
    }

    private static Level max(Level a, Level b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private void rollOver(Instant at) {
        LocalDate today = day(at);
        if (day == null || today.isAfter(day)) { // only forward: a late frame of yesterday does not reset today
            day = today;
            spentToday.clear();
            callsToday.clear();
        }
    }
}
