package dev.vigil.provision;

import dev.vigil.config.Channels;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The AWS resources a household file asks for, in one account and region: pure. */
public final class Desired {

    /** Rekognition's lowest FaceMatchThreshold: Vigil needs matches from 80 up to tell "suspected" from unknown. */
    public static final double DEFAULT_FACE_MATCH_THRESHOLD = 80;
    private static final Set<String> PROTOCOLS = Set.of("email", "email-json", "sms", "https");

    private Desired() {
    }

    public static List<Resource> of(Household h, String account, String region, double faceMatchThreshold) {
        List<Resource> out = new ArrayList<>();
        String collection = h.rekognition().collection();
        out.add(new Resource(Kind.COLLECTION, collection, Map.of(), managed(null)));
        out.add(new Resource(Kind.COLLECTION, Names.strangers(collection), Map.of(), managed(null)));
        for (int i = 0; i < h.cameras().size(); i++) {
            Household.Camera c = h.cameras().get(i);
            long hours = (c.retention().toMinutes() + 59) / 60;
            if (hours <= 0) {
                throw new ConfigException("cameras[" + i + "].retention: must be more than 0 (snapshots and clips read "
                        + "the stored video), e.g. 24h");
            }
            Map<String, String> video = new LinkedHashMap<>();
            video.put("retentionHours", Long.toString(hours));
            if (c.kmsKeyId() != null && !c.kmsKeyId().isBlank()) {
                video.put("kmsKeyId", c.kmsKeyId());
            }
            out.add(new Resource(Kind.VIDEO_STREAM, c.kvsStream(), video, managed(c.id())));
            if (c.engine() != Household.Engine.STREAM_PROCESSOR) {
                continue;
            }
            out.add(new Resource(Kind.DATA_STREAM, c.resultsStream(), Map.of("shards", "1"), managed(c.id())));
            String processor = Names.processor(c.id());
            String roleArn = h.rekognition().processorRoleArn();
            if (roleArn == null || roleArn.isBlank()) {
                String role = Names.role(c.id());
                roleArn = "arn:aws:iam::" + account + ":role" + Names.ROLE_PATH + role;
                out.add(new Resource(Kind.ROLE, role, Map.of(
                        "trustPolicy", Policies.trust(account, region, processor),
                        "policy", Policies.processor(account, region, c.kvsStream(), c.resultsStream(), c.kmsKeyId())),
                        managed(c.id())));
            }
            out.add(new Resource(Kind.STREAM_PROCESSOR, processor, Map.of(
                    "input", c.kvsStream(), "output", c.resultsStream(), "collection", collection,
                    "faceMatchThreshold", number(faceMatchThreshold), "roleArn", roleArn), managed(c.id())));
        }
        Channels.Sns sns = h.channels().sns();
        if (sns != null) {
            String[] arn = sns.topicArn().split(":");
            if (!arn[3].equals(region) || !arn[4].equals(account)) {
                throw new ConfigException("channels.sns.topicArn: names region " + arn[3] + " and account " + arn[4]
                        + ", but provisioning works in region " + region + " and account " + account
                        + " (the credentials' account, VIGIL_AWS_REGION): fix the ARN or the region");
            }
            out.add(new Resource(Kind.TOPIC, arn[5], Map.of("arn", sns.topicArn()), managed(null)));
            for (int i = 0; i < sns.subscriptions().size(); i++) {
                Channels.Subscription s = sns.subscriptions().get(i);
                String at = "channels.sns.subscriptions[" + i + "]";
                if (s.protocol() == null || !PROTOCOLS.contains(s.protocol())) {
                    throw new ConfigException(at + ".protocol: \"" + s.protocol() + "\" is not one of " + PROTOCOLS);
                }
                if (s.endpoint() == null || s.endpoint().isBlank()) {
                    throw new ConfigException(at + ".endpoint: is required (an email address, +E.164 phone number or URL)");
                }
                out.add(new Resource(Kind.SUBSCRIPTION, s.protocol() + ":" + s.endpoint(),
                        Map.of("topic", arn[5], "topicArn", sns.topicArn()), Map.of()));
            }
        }
        return out;
    }

    /** The alert history's shared store (vigil.history.table, vigil.history.bucket), as the runtime creates it. */
    public static List<Resource> history(String table, String bucket) {
        return List.of(new Resource(Kind.HISTORY_TABLE, table, Map.of(), managed(null)),
                new Resource(Kind.HISTORY_BUCKET, bucket, Map.of(), managed(null)));
    }

    static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static Map<String, String> managed(String camera) {
        return camera == null ? Map.of(Names.MANAGED_TAG, "true") : Map.of(Names.MANAGED_TAG, "true", Names.CAMERA_TAG, camera);
    }
}
