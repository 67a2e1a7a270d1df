package dev.vigil.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks YAML typing cannot express: ids, names, ranges and cross-references.
 *
 * <p>Over 250 lines on purpose: every message names its key path and the fix, one small method per block of
 * the household file, so that one file reads as the list of everything a household file can get wrong.
 */
final class HouseholdValidator {

    private static final Pattern CAMERA_ID = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern KVS_STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,256}");
    private static final Pattern KDS_STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    /** Rekognition ExternalImageId. */
    private static final Pattern PERSON_ID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,255}");

    private final String location;

    private HouseholdValidator(String location) {
        this.location = location;
    }

    static void validate(Household h, String location) {
        new HouseholdValidator(location).check(h);
    }

    private void check(Household h) {
        retention(h.retention());
        Set<String> cameraIds = new HashSet<>();
        Set<String> streams = new HashSet<>();
        Set<String> results = new HashSet<>();
        for (int i = 0; i < h.cameras().size(); i++) {
            Household.Camera c = h.cameras().get(i);
            String at = "cameras[" + i + "]";
            matches(at + ".id", c.id(), CAMERA_ID, "a short id such as front-door");
            require(cameraIds.add(c.id()), at + ".id", "\"" + c.id() + "\" is used by two cameras; ids must be unique");
            require(c.name() != null && !c.name().isBlank(), at + ".name", "is required, e.g. Front door");
            matches(at + ".kvsStream", c.kvsStream(), KVS_STREAM,
                    "the name of the Kinesis Video stream this camera writes to");
            require(streams.add(c.kvsStream()), at + ".kvsStream",
                    "\"" + c.kvsStream() + "\" is claimed by two cameras; a stream belongs to one camera");
            matches(at + ".resultsStream", c.resultsStream(), KDS_STREAM,
                    "the Kinesis Data Stream the camera's Rekognition stream processor writes to");
            require(results.add(c.resultsStream()), at + ".resultsStream",
                    "\"" + c.resultsStream() + "\" is claimed by two cameras; one results stream per camera");
            if (c.thresholds() != null) {
                thresholds(at + ".thresholds", c.thresholds());
            }
            image(at + ".image", c.image());
        }
        Set<String> personIds = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (int i = 0; i < h.people().size(); i++) {
            Household.Person p = h.people().get(i);
            String at = "people[" + i + "]";
            matches(at + ".id", p.id(), PERSON_ID, "the ExternalImageId the person was enrolled with");
            require(personIds.add(p.id()), at + ".id", "\"" + p.id() + "\" is listed twice");
            require(p.name() != null && !p.name().isBlank(), at + ".name", "is required");
            groups.addAll(p.groups());
        }
        policy(h.policy(), cameraIds, personIds, groups);
        channels(h.channels(), cameraIds);
        arming(h, personIds);
    }

    private static final Pattern TOPIC = Pattern.compile("[^#+\\u0000]{1,65535}");

    /** The arming schedule, presence sources and the MQTT channel they need. */
    private void arming(Household h, Set<String> personIds) {
        for (int i = 0; i < h.arming().schedule().size(); i++) {
            HomeArming.Window w = h.arming().schedule().get(i);
            String at = "arming.schedule[" + i + "]";
            require(w.mode() != null, at + ".mode", "is required: home, away or night");
            require(w.from() != null && w.to() != null && !w.from().equals(w.to()), at,
                    "needs from and to that differ, e.g. from: \"23:00\" and to: \"06:30\"");
        }
        h.presence().forEach((person, source) -> {
            require(personIds.contains(person), "presence." + person, "is not a person id of people[]");
            matches("presence." + person + ".topic", source == null ? null : source.topic(), TOPIC,
                    "the MQTT topic with their state, e.g. homeassistant/person/" + person + "/state (no + or #)");
        });
        require(h.presence().isEmpty() || h.channels().mqtt() != null, "presence",
                "needs channels.mqtt: presence is read from the MQTT broker");
        Channels.Mqtt m = h.channels().mqtt();
        if (m != null) {
            int urls = (m.url() == null ? 0 : 1) + (m.urlEnv() == null ? 0 : 1);
            require(urls == 1, "channels.mqtt", "give exactly one of url or urlEnv, e.g. url: tcp://mosquitto:1883");
            require(m.url() == null || m.url().matches("(tcp|ssl|mqtt|mqtts)://[^/\\s]+"), "channels.mqtt.url",
                    "\"" + m.url() + "\" is not a broker URL; write tcp://host:1883, or ssl://host:8883 for TLS");
            require(m.username() == null || m.usernameEnv() == null, "channels.mqtt", "give at most one of username or usernameEnv");
            require(m.passwordEnv() == null || m.passwordFile() == null, "channels.mqtt", "give at most one of passwordEnv or passwordFile");
            matches("channels.mqtt.prefix", m.prefix(), Pattern.compile("[a-zA-Z0-9_-]+(/[a-zA-Z0-9_-]+)*"),
                    "topic levels of letters, digits, _ and -, e.g. vigil");
            rateLimit("channels.mqtt.rateLimit", m.rateLimit());
            for (String camera : m.filter().cameras()) {
                require(cameraIds(h).contains(camera), "channels.mqtt.filter.cameras", "\"" + camera + "\" is not a camera id");
            }
        }
    }

    private static Set<String> cameraIds(Household h) {
        Set<String> ids = new HashSet<>();
        h.cameras().forEach(c -> ids.add(c.id()));
        return ids;
    }

    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9-]{1,40}");

    private static final Pattern SNS_TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private void email(Channels.Email e, Set<String> cameraIds) {
        matches("channels.email.from", e.from(), EMAIL, "the sender address");
        require(!e.to().isEmpty(), "channels.email.to", "needs at least one recipient: - address: you@example.org");
        for (int i = 0; i < e.to().size(); i++) {
            matches("channels.email.to[" + i + "].address", e.to().get(i).address(), EMAIL, "an email address");
        }
        if (e.transport() == Channels.Email.Transport.SES) {
            require(e.smtp() == null, "channels.email.smtp", "is for transport smtp; with transport ses remove it");
        } else {
            require(e.smtp() != null && e.smtp().host() != null, "channels.email.smtp.host",
                    "is required: the SMTP server, e.g. smtp.example.org (or use transport: ses)");
            require((e.smtp().usernameEnv() == null) == (e.smtp().passwordEnv() == null && e.smtp().passwordFile() == null),
                    "channels.email.smtp", "give usernameEnv together with passwordEnv or passwordFile, or neither");
        }
        for (String camera : e.filter().cameras()) {
            require(cameraIds.contains(camera), "channels.email.filter.cameras", "\"" + camera + "\" is not a camera id");
        }
    }

    private void channels(Channels c, Set<String> cameraIds) {
        if (c.email() != null) {
            email(c.email(), cameraIds);
            rateLimit("channels.email.rateLimit", c.email().rateLimit());
        }
        if (c.sns() != null) {
            rateLimit("channels.sns.rateLimit", c.sns().rateLimit());
            matches("channels.sns.topicArn", c.sns().topicArn(), SNS_TOPIC, "the ARN of a standard SNS topic");
            require(!c.sns().topicArn().endsWith(".fifo"), "channels.sns.topicArn", "is a FIFO topic, which "
                    + "delivers to queues and functions in order but not to people (no email or SMS); use a "
                    + "standard topic");
            for (String camera : c.sns().filter().cameras()) {
                require(cameraIds.contains(camera), "channels.sns.filter.cameras", "\"" + camera + "\" is not a camera id");
            }
        }
        Set<String> names = new HashSet<>(Set.of("webhook", "console"));
        for (int i = 0; i < c.webhooks().size(); i++) {
            Channels.Webhook w = c.webhooks().get(i);
            String at = "channels.webhooks[" + i + "]";
            matches(at + ".name", w.name(), CHANNEL_NAME, "lower case letters, digits and dashes, e.g. home-assistant");
            require(names.add(w.name()), at + ".name", "\"" + w.name() + "\" is taken (webhook and console are "
                    + "reserved); names must be unique");
            int urls = (w.url() == null ? 0 : 1) + (w.urlEnv() == null ? 0 : 1) + (w.urlFile() == null ? 0 : 1);
            require(urls == 1, at, "give exactly one of url, urlEnv or urlFile (use urlEnv/urlFile when the URL "
                    + "is itself a secret, as Slack's are)");
            require(w.secretEnv() == null || w.secretFile() == null, at, "give at most one of secretEnv or secretFile");
            require(w.preset() != Channels.Preset.ALERT_V1 || w.secretEnv() != null || w.secretFile() != null, at,
                    "an alert-v1 webhook is signed: name its secret with secretEnv or secretFile");
            for (String camera : w.filter().cameras()) {
                require(cameraIds.contains(camera), at + ".filter.cameras", "\"" + camera + "\" is not a camera id");
            }
            rateLimit(at + ".rateLimit", w.rateLimit());
            if (w.timeout() != null) {
                positive(at + ".timeout.connect", w.timeout().connect());
                positive(at + ".timeout.response", w.timeout().response());
            }
        }
    }

    private void rateLimit(String at, Channels.RateLimit r) {
        if (r != null) {
            require(r.max() == null || r.max() >= 0, at + ".max", "must be 0 (no ceiling) or more, e.g. 5");
            positive(at + ".per", r.per());
        }
    }

    /** A duration that may be left out but, when given, is longer than zero. */
    private void positive(String key, java.time.Duration d) {
        require(d == null || (!d.isNegative() && !d.isZero()), key, "must be longer than zero, e.g. 10s");
    }

    private void policy(Policy p, Set<String> cameraIds, Set<String> personIds, Set<String> groups) {
        thresholds("policy.thresholds", p.thresholds());
        require(p.visit().minFrames() >= 1, "policy.visit.minFrames", "must be 1 or more");
        require(!p.visit().window().isNegative() && !p.visit().window().isZero(), "policy.visit.window",
                "must be longer than zero, e.g. 30s");
        require(!p.visit().cooldown().isNegative(), "policy.visit.cooldown", "must not be negative, e.g. 5m");
        require(!p.alertTtl().isNegative() && !p.alertTtl().isZero(), "policy.alertTtl", "must be longer than zero");
        if (p.quietHours() != null) {
            require(p.quietHours().from() != null && p.quietHours().to() != null, "policy.quietHours",
                    "needs both from and to, e.g. from: \"22:30\" and to: \"06:30\"");
            require(!p.quietHours().from().equals(p.quietHours().to()), "policy.quietHours",
                    "from and to are equal; remove quietHours or give a real window");
        }
        List<Policy.Rule> rules = p.rules();
        for (int i = 0; i < rules.size(); i++) {
            Policy.Rule r = rules.get(i);
            String at = "policy.rules[" + i + "]";
            require((r.person() == null) != (r.group() == null), at, "give exactly one of person or group");
            require(r.person() == null || personIds.contains(r.person()), at + ".person",
                    "\"" + r.person() + "\" is not in people; add them there first");
            require(r.group() == null || groups.contains(r.group()), at + ".group",
                    "\"" + r.group() + "\" is not a group of any person in people");
            require(r.action() != null, at + ".notify", "is required: never or arrival");
            for (String camera : r.cameras()) {
                require(cameraIds.contains(camera), at + ".cameras", "\"" + camera + "\" is not a camera id");
            }
        }
    }

    private void thresholds(String at, Thresholds t) {
        range(at + ".match", t.match(), 80, 100, "Rekognition reports no match below 80, so 80..100");
        range(at + ".minConfidence", t.minConfidence(), 0, 100, "0..100");
        range(at + ".minSharpness", t.minSharpness(), 0, 100, "0..100");
        range(at + ".minBrightness", t.minBrightness(), 0, 100, "0..100");
        range(at + ".maxYaw", t.maxYaw(), 0, 180, "degrees 0..180");
        range(at + ".maxPitch", t.maxPitch(), 0, 180, "degrees 0..180");
        range(at + ".minFaceHeight", t.minFaceHeight(), 0, 1, "a ratio of the frame height 0..1");
    }

    private void image(String at, ImageSampling image) {
        require(image.interval().toMillis() >= 200, at + ".interval",
                image.interval() + " is too short; Kinesis Video samples at most every 200ms (write 200ms or more, e.g. 1s)");
        range(at + ".motionSensitivity", image.motionSensitivity(), 0, 1, "0..1 (higher: smaller changes are motion)");
        require(image.dailyBudgetUsd() == null || image.dailyBudgetUsd() >= 0, at + ".dailyBudgetUsd",
                "must not be negative (US dollars a day, e.g. 0.50)");
        for (int i = 0; i < image.mask().size(); i++) {
            ImageSampling.Region r = image.mask().get(i);
            require(r.left() >= 0 && r.top() >= 0 && r.width() > 0 && r.height() > 0 && r.left() + r.width() <= 1.0001
                    && r.top() + r.height() <= 1.0001, at + ".mask[" + i + "]",
                    "must lie inside the frame: left, top, width, height are ratios 0..1, e.g. {left: 0, top: 0.8, width: 1, height: 0.2}");
        }
    }

    private void range(String key, Double value, double min, double max, String hint) {
        require(value == null || (value >= min && value <= max), key, value + " is out of range; use " + hint);
    }

    private void matches(String key, String value, Pattern pattern, String hint) {
        require(value != null && pattern.matcher(value).matches(), key,
                (value == null ? "is required" : "\"" + value + "\" must match " + pattern.pattern()) + " (" + hint + ")");
    }

    private void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(HouseholdLoader.prefix(location) + key + ": " + problem + ".");
        }
    }

    /** Every age positive; images kept no longer than the alert records they belong to. */
    private void retention(Retention r) {
        String fix = "; write a positive duration such as 24h, 7d or 90d";
        require(!r.unknownFaces().isNegative() && !r.unknownFaces().isZero(), "retention.unknownFaces",
                "must be longer than zero" + fix);
        require(!r.knownFaces().isNegative() && !r.knownFaces().isZero(), "retention.knownFaces",
                "must be longer than zero" + fix);
        require(!r.alerts().isNegative() && !r.alerts().isZero(), "retention.alerts", "must be longer than zero" + fix);
        require(!r.audit().isNegative() && !r.audit().isZero(), "retention.audit", "must be longer than zero" + fix);
        require(r.unknownFaces().compareTo(r.alerts()) <= 0, "retention.unknownFaces",
                "(" + r.unknownFaces().toDays() + " days) is longer than retention.alerts (" + r.alerts().toDays()
                        + " days): images go with their alert record; shorten it or lengthen retention.alerts");
        require(r.knownFaces().compareTo(r.alerts()) <= 0, "retention.knownFaces",
                "(" + r.knownFaces().toDays() + " days) is longer than retention.alerts (" + r.alerts().toDays()
                        + " days): images go with their alert record; shorten it or lengthen retention.alerts");
    }
}
