package dev.vigil.provision;

import dev.vigil.aws.AwsClients;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesisvideo.model.StreamInfo;
import software.amazon.awssdk.services.rekognition.model.DescribeCollectionResponse;
import software.amazon.awssdk.services.rekognition.model.DescribeStreamProcessorResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.model.Subscription;

/** Reads what exists of the desired resources, by name, with describe and list-tags calls only. */
public final class AwsState {

    private final AwsClients aws;
    private final S3Client s3;

    public AwsState(AwsClients aws, S3Client s3) {
        this.aws = aws;
        this.s3 = s3;
    }

    /** Found resources by {@link Resource#key()}; a resource that does not exist is absent. */
    public Map<String, Resource> read(List<Resource> desired) {
        Map<String, Resource> found = new HashMap<>();
        for (Resource r : desired) {
            Resource have = switch (r.kind()) {
                case HISTORY_TABLE -> table(r.name());
                case HISTORY_BUCKET -> bucket(r.name());
                case COLLECTION -> collection(r.name());
                case TOPIC -> topic(r.attribute("arn"));
                case SUBSCRIPTION -> null; // below, per topic
                case VIDEO_STREAM -> videoStream(r.name());
                case DATA_STREAM -> dataStream(r.name());
                case ROLE -> role(r.name());
                case STREAM_PROCESSOR -> processor(r.name());
            };
            if (have != null) {
                found.put(have.key(), have);
            }
        }
        desired.stream().filter(r -> r.kind() == Kind.TOPIC && found.containsKey(r.key()))
                .forEach(t -> subscriptions(t.attribute("arn")).forEach(s -> found.put(s.key(), s)));
        return found;
    }

    /**
     * Vigil's own processors and roles (named {@code vigil-*}, under {@code /vigil/}, tagged managed) that the
     * household file no longer asks for, e.g. of a removed camera: a forgotten running processor costs money.
     */
    public java.util.List<Resource> orphans(List<Resource> desired) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        desired.forEach(r -> wanted.add(r.key()));
        java.util.List<Resource> out = new java.util.ArrayList<>();
        aws.rekognition().listStreamProcessorsPaginator(b -> b.maxResults(100)).stream()
                .flatMap(page -> page.streamProcessors().stream()).map(p -> p.name())
                .filter(n -> n.startsWith("vigil-") && !wanted.contains(Kind.STREAM_PROCESSOR + "/" + n))
                .map(this::processor).filter(r -> r != null && r.managed()).forEach(out::add);
        aws.iam().listRolesPaginator(b -> b.pathPrefix(Names.ROLE_PATH)).roles().stream()
                .map(r -> r.roleName()).filter(n -> !wanted.contains(Kind.ROLE + "/" + n))
                .map(this::role).filter(r -> r != null && r.managed()).forEach(out::add);
        return out;
    }

    Resource table(String name) {
        String arn;
        try {
            arn = aws.dynamo().describeTable(b -> b.tableName(name)).table().tableArn();
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        aws.dynamo().listTagsOfResource(b -> b.resourceArn(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return new Resource(Kind.HISTORY_TABLE, name, Map.of("arn", arn), tags);
    }

    Resource bucket(String name) {
        try {
            s3.headBucket(b -> b.bucket(name));
        } catch (NoSuchBucketException e) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        try {
            s3.getBucketTagging(b -> b.bucket(name)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (e.awsErrorDetails() == null || !"NoSuchTagSet".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
        }
        return new Resource(Kind.HISTORY_BUCKET, name, Map.of(), tags);
    }

    Resource collection(String id) {
        DescribeCollectionResponse c;
        try {
            c = aws.rekognition().describeCollection(b -> b.collectionId(id));
        } catch (software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException e) {
            return null;
        }
        // DescribeCollection answers "aws:rekognition:...", the tagging API wants "arn:aws:rekognition:..."
        String arn = c.collectionARN().startsWith("arn:") ? c.collectionARN() : "arn:" + c.collectionARN();
        Map<String, String> tags = aws.rekognition().listTagsForResource(b -> b.resourceArn(arn)).tags();
        return new Resource(Kind.COLLECTION, id, Map.of("arn", arn,
                "faceCount", String.valueOf(c.faceCount())), tags);
    }

    Resource topic(String arn) {
        try {
            aws.sns().getTopicAttributes(b -> b.topicArn(arn));
        } catch (software.amazon.awssdk.services.sns.model.NotFoundException e) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        aws.sns().listTagsForResource(b -> b.resourceArn(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return new Resource(Kind.TOPIC, arn.substring(arn.lastIndexOf(':') + 1), Map.of("arn", arn), tags);
    }

    List<Resource> subscriptions(String topicArn) {
        return aws.sns().listSubscriptionsByTopicPaginator(b -> b.topicArn(topicArn)).subscriptions().stream()
                .map((Subscription s) -> new Resource(Kind.SUBSCRIPTION, s.protocol() + ":" + s.endpoint(),
                        Map.of("topic", topicArn.substring(topicArn.lastIndexOf(':') + 1), "arn", s.subscriptionArn()),
                        Map.of()))
                .toList();
    }

    Resource videoStream(String name) {
        StreamInfo s;
        try {
            s = aws.kinesisVideo().describeStream(b -> b.streamName(name)).streamInfo();
        } catch (software.amazon.awssdk.services.kinesisvideo.model.ResourceNotFoundException e) {
            return null;
        }
        Map<String, String> attributes = new HashMap<>(Map.of("arn", s.streamARN(), "version", s.version(),
                "retentionHours", String.valueOf(s.dataRetentionInHours())));
        if (s.kmsKeyId() != null) {
            attributes.put("kmsKeyId", s.kmsKeyId());
        }
        return new Resource(Kind.VIDEO_STREAM, name, attributes,
                aws.kinesisVideo().listTagsForStream(b -> b.streamName(name)).tags());
    }

    Resource dataStream(String name) {
        StreamDescriptionSummary s;
        try {
            s = aws.kinesis().describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException e) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        aws.kinesis().listTagsForStream(b -> b.streamName(name)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return new Resource(Kind.DATA_STREAM, name, Map.of("arn", s.streamARN(),
                "shards", String.valueOf(s.openShardCount())), tags);
    }

    Resource role(String name) {
        software.amazon.awssdk.services.iam.model.Role role;
        try {
            role = aws.iam().getRole(b -> b.roleName(name)).role();
        } catch (NoSuchEntityException e) {
            return null;
        }
        Map<String, String> attributes = new HashMap<>(Map.of("arn", role.arn(),
                "trustPolicy", Policies.canonical(role.assumeRolePolicyDocument())));
        try {
            attributes.put("policy", Policies.canonical(aws.iam().getRolePolicy(b -> b.roleName(name)
                    .policyName(Names.ROLE_POLICY)).policyDocument()));
        } catch (NoSuchEntityException e) {
            // no inline policy: the plan puts it back
        }
        Map<String, String> tags = new LinkedHashMap<>();
        aws.iam().listRoleTags(b -> b.roleName(name)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return new Resource(Kind.ROLE, name, attributes, tags);
    }

    Resource processor(String name) {
        DescribeStreamProcessorResponse p;
        try {
            p = aws.rekognition().describeStreamProcessor(b -> b.name(name));
        } catch (software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException e) {
            return null;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put("arn", p.streamProcessorArn());
        attributes.put("status", p.statusAsString());
        attributes.put("input", streamName(p.input().kinesisVideoStream().arn()));
        attributes.put("output", streamName(p.output().kinesisDataStream().arn()));
        attributes.put("collection", p.settings().faceSearch().collectionId());
        attributes.put("faceMatchThreshold", Desired.number(p.settings().faceSearch().faceMatchThreshold()));
        attributes.put("roleArn", p.roleArn());
        return new Resource(Kind.STREAM_PROCESSOR, name, attributes,
                aws.rekognition().listTagsForResource(b -> b.resourceArn(p.streamProcessorArn())).tags());
    }

    /** The stream name in a Kinesis ({@code stream/NAME}) or Kinesis Video ({@code stream/NAME/TIME}) ARN. */
    static String streamName(String arn) {
        String[] parts = arn.substring(arn.indexOf(":stream/") + ":stream/".length()).split("/");
        return parts[0];
    }
}
