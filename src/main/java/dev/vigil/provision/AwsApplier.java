package dev.vigil.provision;

import dev.vigil.aws.AwsClients;
import dev.vigil.history.AwsHistoryStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesisvideo.model.UpdateDataRetentionOperation;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.ResourceInUseException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

/** Carries out a plan's changes with the AWS SDK, one at a time, printing each as it is done. */
public final class AwsApplier {

    private final AwsClients aws;
    private final S3Client s3;
    private final Duration timeout;
    private final Duration step;
    private final PrintStream out;

    /**
     * @param timeout how long to wait for a stream to become active, a deleted processor's name to be reusable,
     *                or a new role to reach Rekognition
     * @param step    the pause between those checks (AWS needs seconds; tests use less)
     */
    public AwsApplier(AwsClients aws, S3Client s3, Duration timeout, Duration step, PrintStream out) {
        this.aws = aws;
        this.s3 = s3;
        this.timeout = timeout;
        this.step = step;
        this.out = out;
    }

    public void apply(List<Change> changes) {
        for (Change c : changes) {
            switch (c.action()) {
                case CREATE -> create(c.desired());
                case UPDATE -> update(c.desired(), c.current());
                case REPLACE -> {
                    delete(c.current());
                    create(c.desired());
                }
                case DELETE -> delete(c.current());
            }
            out.printf("  %s %s %s: done%n", c.action().symbol(), c.kind().label(), c.name());
        }
    }

    private void create(Resource r) {
        switch (r.kind()) {
            case HISTORY_TABLE -> AwsHistoryStore.ensureTable(aws.dynamo(), r.name(), b -> b.tags(dynamoTags(r.tags())));
            case HISTORY_BUCKET -> {
                AwsHistoryStore.ensureBucket(s3, r.name());
                tagBucket(r.name(), r.tags());
            }
            case COLLECTION -> aws.rekognition().createCollection(b -> b.collectionId(r.name()).tags(r.tags()));
            case TOPIC -> aws.sns().createTopic(b -> b.name(r.name()).tags(r.tags().entrySet().stream()
                    .map(t -> software.amazon.awssdk.services.sns.model.Tag.builder().key(t.getKey()).value(t.getValue()).build())
                    .toList()));
            case SUBSCRIPTION -> {
                String[] protocolEndpoint = r.name().split(":", 2);
                aws.sns().subscribe(b -> b.topicArn(r.attribute("topicArn")).protocol(protocolEndpoint[0])
                        .endpoint(protocolEndpoint[1]));
            }
            case VIDEO_STREAM -> aws.kinesisVideo().createStream(b -> b.streamName(r.name())
                    .dataRetentionInHours(Integer.parseInt(r.attribute("retentionHours")))
                    .kmsKeyId(r.attribute("kmsKeyId")).tags(r.tags()));
            case DATA_STREAM -> {
                aws.kinesis().createStream(b -> b.streamName(r.name()).shardCount(Integer.parseInt(r.attribute("shards"))));
                await("kinesis data stream " + r.name() + " to become ACTIVE", () -> aws.kinesis()
                        .describeStreamSummary(b -> b.streamName(r.name())).streamDescriptionSummary().streamStatus()
                        == StreamStatus.ACTIVE);
                aws.kinesis().addTagsToStream(b -> b.streamName(r.name()).tags(r.tags()));
            }
            case ROLE -> {
                aws.iam().createRole(b -> b.roleName(r.name()).path(Names.ROLE_PATH)
                        .assumeRolePolicyDocument(r.attribute("trustPolicy"))
                        .description("Rekognition stream processor of Vigil camera " + r.tags().get(Names.CAMERA_TAG))
                        .tags(iamTags(r.tags())));
                putRolePolicy(r);
            }
            case STREAM_PROCESSOR -> createProcessor(r);
        }
    }

    private void update(Resource want, Resource have) {
        switch (want.kind()) {
            case HISTORY_TABLE -> aws.dynamo().tagResource(b -> b.resourceArn(have.attribute("arn")).tags(dynamoTags(want.tags())));
            case HISTORY_BUCKET -> {
                Map<String, String> tags = new java.util.TreeMap<>(have.tags()); // PutBucketTagging replaces the set
                tags.putAll(want.tags());
                tagBucket(want.name(), tags);
            }
            case VIDEO_STREAM -> {
                int from = Integer.parseInt(have.attribute("retentionHours"));
                int to = Integer.parseInt(want.attribute("retentionHours"));
                if (from != to) {
                    aws.kinesisVideo().updateDataRetention(b -> b.streamName(want.name()).currentVersion(have.attribute("version"))
                            .operation(to > from ? UpdateDataRetentionOperation.INCREASE_DATA_RETENTION
                                    : UpdateDataRetentionOperation.DECREASE_DATA_RETENTION)
                            .dataRetentionChangeInHours(Math.abs(to - from)));
                }
                if (!want.tags().equals(subset(have.tags(), want.tags()))) {
                    aws.kinesisVideo().tagStream(b -> b.streamName(want.name()).tags(want.tags()));
                }
            }
            case DATA_STREAM -> aws.kinesis().addTagsToStream(b -> b.streamName(want.name()).tags(want.tags()));
            case ROLE -> {
                if (!want.attribute("trustPolicy").equals(have.attribute("trustPolicy"))) {
                    aws.iam().updateAssumeRolePolicy(b -> b.roleName(want.name()).policyDocument(want.attribute("trustPolicy")));
                }
                if (!want.attribute("policy").equals(have.attribute("policy"))) {
                    putRolePolicy(want);
                }
                aws.iam().tagRole(b -> b.roleName(want.name()).tags(iamTags(want.tags())));
            }
            case COLLECTION -> aws.rekognition().tagResource(b -> b.resourceArn(have.attribute("arn")).tags(want.tags()));
            case STREAM_PROCESSOR -> aws.rekognition().tagResource(b -> b.resourceArn(have.attribute("arn")).tags(want.tags()));
            case TOPIC -> aws.sns().tagResource(b -> b.resourceArn(have.attribute("arn")).tags(want.tags().entrySet().stream()
                    .map(t -> software.amazon.awssdk.services.sns.model.Tag.builder().key(t.getKey()).value(t.getValue()).build())
                    .toList()));
            case SUBSCRIPTION -> {
                // nothing to change on a subscription
            }
        }
    }

    private void delete(Resource r) {
        switch (r.kind()) {
            case HISTORY_TABLE -> aws.dynamo().deleteTable(b -> b.tableName(r.name()));
            case HISTORY_BUCKET -> {
                // a bucket must be empty to be deleted: the records' face crops and snapshots go first
                s3.listObjectsV2Paginator(b -> b.bucket(r.name())).contents()
                        .forEach(o -> s3.deleteObject(b -> b.bucket(r.name()).key(o.key())));
                s3.deleteBucket(b -> b.bucket(r.name()));
            }
            case COLLECTION -> aws.rekognition().deleteCollection(b -> b.collectionId(r.name()));
            case TOPIC -> aws.sns().deleteTopic(b -> b.topicArn(r.attribute("arn")));
            case SUBSCRIPTION -> aws.sns().unsubscribe(b -> b.subscriptionArn(r.attribute("arn")));
            case VIDEO_STREAM -> aws.kinesisVideo().deleteStream(b -> b.streamARN(r.attribute("arn")));
            case DATA_STREAM -> aws.kinesis().deleteStream(b -> b.streamName(r.name()).enforceConsumerDeletion(true));
            case ROLE -> {
                aws.iam().listRolePolicies(b -> b.roleName(r.name())).policyNames()
                        .forEach(p -> aws.iam().deleteRolePolicy(b -> b.roleName(r.name()).policyName(p)));
                aws.iam().deleteRole(b -> b.roleName(r.name()));
            }
            case STREAM_PROCESSOR -> deleteProcessor(r.name());
        }
    }

    private void putRolePolicy(Resource r) {
        aws.iam().putRolePolicy(b -> b.roleName(r.name()).policyName(Names.ROLE_POLICY).policyDocument(r.attribute("policy")));
    }

    /** Stops (a stopped one answers ResourceInUse: fine), deletes, and waits until the name is gone. */
    void deleteProcessor(String name) {
        try {
            aws.rekognition().stopStreamProcessor(b -> b.name(name));
        } catch (ResourceInUseException alreadyStopped) {
            // StopStreamProcessor on a stopped (or failed) processor: nothing to stop
        } catch (ResourceNotFoundException gone) {
            return;
        }
        await("stream processor " + name + " to be deleted", () -> {
            try {
                aws.rekognition().deleteStreamProcessor(b -> b.name(name));
                return true;
            } catch (ResourceInUseException stillStopping) {
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        });
    }

    /**
     * Creates a processor from its cameras' stream names. Retries while the name of a just-deleted processor is
     * not yet reusable (ResourceInUse) and while a just-created role has not reached Rekognition.
     */
    private void createProcessor(Resource r) {
        String input = aws.kinesisVideo().describeStream(b -> b.streamName(r.attribute("input"))).streamInfo().streamARN();
        String output = aws.kinesis().describeStreamSummary(b -> b.streamName(r.attribute("output")))
                .streamDescriptionSummary().streamARN();
        await("the name of stream processor " + r.name() + " to be reusable and its role to be usable", () -> {
            try {
                aws.rekognition().createStreamProcessor(b -> b.name(r.name())
                        .input(i -> i.kinesisVideoStream(k -> k.arn(input)))
                        .output(o -> o.kinesisDataStream(k -> k.arn(output)))
                        .settings(s -> s.faceSearch(f -> f.collectionId(r.attribute("collection"))
                                .faceMatchThreshold(Float.parseFloat(r.attribute("faceMatchThreshold")))))
                        .roleArn(r.attribute("roleArn")).tags(r.tags()));
                return true;
            } catch (ResourceInUseException nameNotYetFree) {
                return false;
            } catch (InvalidParameterException e) {
                if (String.valueOf(e.getMessage()).toLowerCase().contains("role")) {
                    return false; // IAM is eventually consistent: a new role reaches Rekognition within seconds
                }
                throw e;
            }
        });
    }

    private void tagBucket(String bucket, Map<String, String> tags) {
        s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.s3.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList())));
    }

    private static List<software.amazon.awssdk.services.dynamodb.model.Tag> dynamoTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(t -> software.amazon.awssdk.services.dynamodb.model.Tag.builder()
                .key(t.getKey()).value(t.getValue()).build()).toList();
    }

    private static List<software.amazon.awssdk.services.iam.model.Tag> iamTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(t -> software.amazon.awssdk.services.iam.model.Tag.builder()
                .key(t.getKey()).value(t.getValue()).build()).toList();
    }

    private static Map<String, String> subset(Map<String, String> all, Map<String, String> keys) {
        Map<String, String> out = new java.util.TreeMap<>();
        keys.keySet().forEach(k -> {
            if (all.containsKey(k)) {
                out.put(k, all.get(k));
            }
        });
        return out;
    }

    private void await(String what, Supplier<Boolean> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(step.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
