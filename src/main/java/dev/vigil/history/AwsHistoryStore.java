package dev.vigil.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.AwsProblems;
import dev.vigil.config.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The shared history of several instances (profile aws): records in a DynamoDB table, JPEGs in an S3
 * bucket, both created at first start when missing (and declared by {@code vigil provision}).
 *
 * <p>Table: partition key {@code id}; every item also has {@code g} = "alert" and {@code sk} =
 * {@code <observedAt millis, 15 digits>#<id>}, the keys of the global secondary index {@code byTime} the
 * queries read newest first (filters are DynamoDB filter expressions). The record is the JSON attribute
 * {@code record}; {@code v} is its version: every change is a conditional put on the version read, retried
 * when another instance changed it meanwhile. JPEGs: {@code face/<id>.jpg}, {@code snapshot/<id>.jpg}.
 *
 * <p>Over 250 lines on purpose: it is one implementation of the HistoryStore contract (every operation of
 * the interface, on DynamoDB and S3), checked by the same contract suite as the embedded store.
 */
public final class AwsHistoryStore implements HistoryStore {

    static final String INDEX = "byTime";
    private static final String G = "alert";
    private static final int ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final String table;
    private final String bucket;
    private final ObjectMapper json;

    public AwsHistoryStore(DynamoDbClient dynamo, S3Client s3, String table, String bucket, ObjectMapper json) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.table = table;
        this.bucket = bucket;
        this.json = json;
    }

    /**
     * The store on Vigil's AWS clients (region, credentials, endpoint overrides; {@code vigil.aws.endpoints.s3}
     * for S3), S3 addressed path-style so emulators work too.
     */
    public static AwsHistoryStore on(dev.vigil.aws.AwsClients aws, String table, String bucket, ObjectMapper json) {
        return new AwsHistoryStore(aws.dynamo(), s3(aws), table, bucket, json);
    }

    /** An S3 client on Vigil's AWS settings, path-style when S3 has an endpoint override (emulators). */
    public static S3Client s3(dev.vigil.aws.AwsClients aws) {
        return aws.configure(S3Client.builder(), "s3").forcePathStyle(aws.endpoint("s3").isPresent())
                .httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                        .connectionTimeout(java.time.Duration.ofSeconds(5)).socketTimeout(java.time.Duration.ofSeconds(30))
                        .build()).build();
    }

    /** Creates the table and the bucket when missing. */
    public AwsHistoryStore start() {
        try {
            ensureTable();
            ensureBucket();
            return this;
        } catch (SdkClientException e) {
            throw AwsProblems.unreachable("alert history", "DynamoDB table \"" + table + "\" / S3 bucket \""
                    + bucket + "\"", e);
        } catch (DynamoDbException | S3Exception e) {
            throw new ConfigException("alert history: AWS refused table \"" + table + "\" or bucket \"" + bucket
                    + "\" (" + e.awsErrorDetails().errorCode() + "). Run `vigil provision`, or grant the runtime"
                    + " policy's history statements (docs/iam/vigil-runtime-policy.json); or set"
                    + " vigil.history.store=embedded");
        }
    }

    private void ensureTable() {
        ensureTable(dynamo, table, b -> { });
    }

    /**
     * Creates the history table unless it exists (the runtime at first start, {@code vigil provision}).
     *
     * @param extra more settings of the create request (provisioning's tags)
     */
    public static void ensureTable(DynamoDbClient dynamo, String table,
                                   java.util.function.Consumer<software.amazon.awssdk.services.dynamodb.model.CreateTableRequest.Builder> extra) {
        dev.vigil.aws.DynamoTables.ensure(dynamo, table, b -> extra.accept(b
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(
                        a -> a.attributeName("id").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(i -> i.indexName(INDEX)
                        .keySchema(k -> k.attributeName("g").keyType(KeyType.HASH),
                                k -> k.attributeName("sk").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))), () -> { });
    }

    private void ensureBucket() {
        ensureBucket(s3, bucket);
    }

    /** Creates the history bucket unless it exists (the runtime at first start, {@code vigil provision}). */
    public static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException missing) {
            try {
                // outside us-east-1 S3 wants the region as the location constraint (IllegalLocationConstraint without it)
                String region = s3.serviceClientConfiguration().region().id();
                s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration("us-east-1".equals(region) ? null
                        : software.amazon.awssdk.services.s3.model.CreateBucketConfiguration.builder()
                        .locationConstraint(region).build()));
            } catch (BucketAlreadyOwnedByYouException createdByAnotherInstance) {
                // fine
            }
        }
    }

    @Override
    public void record(AlertRecord alert) {
        change(alert.id(), stored -> alert.over(stored), true);
    }

    @Override
    public boolean recordDelivery(String alertId, AlertRecord.Delivery delivery) {
        return change(alertId, r -> r.withDelivery(delivery), false);
    }

    @Override
    public boolean mark(String alertId, AlertRecord.Mark mark) {
        return change(alertId, r -> r.withMark(mark), false);
    }

    @Override
    public boolean putImage(String alertId, ImageKind kind, byte[] jpeg) {
        if (get(alertId).isEmpty()) {
            return false;
        }
        s3.putObject(b -> b.bucket(bucket).key(key(alertId, kind)).contentType("image/jpeg"), RequestBody.fromBytes(jpeg));
        return change(alertId, r -> r.withImage(kind, true), false);
    }

    @Override
    public Optional<byte[]> image(String alertId, ImageKind kind) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(alertId, kind))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private static String key(String alertId, ImageKind kind) {
        return kind.file() + "/" + alertId + ".jpg";
    }

    @Override
    public Optional<AlertRecord> get(String alertId) {
        return Optional.ofNullable(load(alertId)).map(Stored::record);
    }

    @Override
    public Page query(AlertQuery q) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":g", AttributeValue.fromS(G));
        names.put("#g", "g");
        String upper = q.until() == null ? null : Cursor.sortKey(q.until().toEpochMilli(), "");
        Map<String, AttributeValue> start = null;
        if (q.cursor() != null) {
            Cursor at = Cursor.parse(q.cursor());
            start = Map.of("id", AttributeValue.fromS(at.id()), "g", AttributeValue.fromS(G),
                    "sk", AttributeValue.fromS(Cursor.sortKey(at.millis(), at.id())));
        }
        StringBuilder keys = new StringBuilder("#g = :g");
        if (q.since() != null || upper != null) {
            names.put("#sk", "sk");
        }
        if (q.since() != null && upper != null) {
            keys.append(" AND #sk BETWEEN :lo AND :hi");
            values.put(":lo", AttributeValue.fromS(Cursor.sortKey(q.since().toEpochMilli(), "")));
            values.put(":hi", AttributeValue.fromS(upper));
        } else if (q.since() != null) {
            keys.append(" AND #sk >= :lo");
            values.put(":lo", AttributeValue.fromS(Cursor.sortKey(q.since().toEpochMilli(), "")));
        } else if (upper != null) {
            keys.append(" AND #sk < :hi");
            values.put(":hi", AttributeValue.fromS(upper));
        }
        List<String> filters = new ArrayList<>();
        filter(filters, names, values, "camera", q.camera());
        filter(filters, names, values, "person", q.person());
        filter(filters, names, values, "type", q.type());
        filter(filters, names, values, "severity", q.severity());
        List<AlertRecord> found = new ArrayList<>();
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression(keys.toString()).expressionAttributeNames(names)
                    .expressionAttributeValues(values).scanIndexForward(false).exclusiveStartKey(start)
                    .limit(Math.max(q.limit() + 1, 25));
            if (!filters.isEmpty()) {
                request.filterExpression(String.join(" AND ", filters));
            }
            QueryResponse page = dynamo.query(request.build());
            for (Map<String, AttributeValue> item : page.items()) {
                AlertRecord r = parse(item.get("record").s());
                // BETWEEN is inclusive: until is exclusive
                if (upper == null || Cursor.sortKey(r).compareTo(upper) < 0) {
                    found.add(r);
                }
                if (found.size() > q.limit()) {
                    break;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() <= q.limit());
        return EmbeddedHistoryStore.page(found, q.limit());
    }

    private static void filter(List<String> filters, Map<String, String> names, Map<String, AttributeValue> values,
                               String attribute, String value) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, AttributeValue.fromS(value));
            filters.add("#" + attribute + " = :" + attribute);
        }
    }

    @Override
    public long count() {
        long n = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(table).select("COUNT").exclusiveStartKey(from));
            n += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return n;
    }

    @Override
    public int expire(DataClass dataClass, Instant before) {
        int n = 0;
        for (AlertRecord r : olderThan(before)) {
            if (dataClass == DataClass.RECORDS) {
                deleteObjects(r.id());
                dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(r.id()))));
                n++;
            } else if ((r.face() || r.snapshot()) && r.aboutKnownPerson() == (dataClass == DataClass.IMAGES_OF_KNOWN)) {
                deleteImages(List.of(r.id()));
                n++;
            }
        }
        return n;
    }

    /** Every record observed before the time (oldest first, read from the time index). */
    private List<AlertRecord> olderThan(Instant before) {
        List<AlertRecord> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(INDEX)
                    .keyConditionExpression("g = :g AND sk < :hi").exclusiveStartKey(from)
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(G),
                            ":hi", AttributeValue.fromS(Cursor.sortKey(before.toEpochMilli(), "")))));
            page.items().forEach(item -> out.add(parse(item.get("record").s())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public List<String> alertIdsNaming(String personId) {
        return query(new AlertQuery(null, personId, null, null, null, null, null, Integer.MAX_VALUE - 1))
                .items().stream().map(AlertRecord::id).toList();
    }

    @Override
    public int forgetPerson(String personId) {
        int n = 0;
        for (String id : alertIdsNaming(personId)) {
            if (change(id, AlertRecord::forgotten, false)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int deleteImages(Collection<String> alertIds) {
        int deleted = 0;
        for (String id : alertIds) {
            deleted += deleteObjects(id);
            change(id, r -> r.withImage(ImageKind.FACE, false).withImage(ImageKind.SNAPSHOT, false), false);
        }
        return deleted;
    }

    private int deleteObjects(String alertId) {
        int deleted = 0;
        for (ImageKind kind : ImageKind.values()) {
            if (image(alertId, kind).isPresent()) {
                s3.deleteObject(b -> b.bucket(bucket).key(key(alertId, kind)));
                deleted++;
            }
        }
        return deleted;
    }

    // --- runtime people (S3 objects people/<id>.json) and marks (teach)

    @Override
    public void putPerson(RuntimePerson p) {
        try {
            s3.putObject(b -> b.bucket(bucket).key("people/" + p.id() + ".json").contentType("application/json"),
                    RequestBody.fromBytes(json.writeValueAsBytes(p)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<RuntimePerson> people() {
        List<RuntimePerson> out = new java.util.ArrayList<>();
        for (var o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("people/")).contents()) {
            try {
                out.add(json.readValue(s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray(),
                        RuntimePerson.class));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("runtime person " + o.key() + " is not readable JSON", e);
            }
        }
        out.sort(java.util.Comparator.comparing(RuntimePerson::id));
        return out;
    }

    @Override
    public boolean removePerson(String personId) {
        String key = "people/" + personId + ".json";
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
        s3.deleteObject(b -> b.bucket(bucket).key(key));
        return true;
    }

    @Override
    public List<String> alertIdsMarking(String personId) {
        return query(AlertQuery.all(Integer.MAX_VALUE - 1)).items().stream().filter(r -> r.marks(personId))
                .map(AlertRecord::id).toList();
    }

    @Override
    public int forgetMarks(String personId) {
        int n = 0;
        for (String id : alertIdsMarking(personId)) {
            int[] marks = {0};
            change(id, r -> {
                marks[0] = (int) r.marks().stream().filter(m -> personId.equals(m.person())).count();
                return r.withMarksForgetting(personId);
            }, false);
            n += marks[0];
        }
        return n;
    }

    private record Stored(AlertRecord record, long version) {
    }

    private Stored load(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Stored(parse(item.get("record").s()), Long.parseLong(item.get("v").n()));
    }

    /**
     * Applies a change to the stored record with an optimistic lock on its version.
     *
     * @param create whether a missing record is created (the change gets null)
     * @return false when the record is missing and not created
     */
    private boolean change(String id, UnaryOperator<AlertRecord> change, boolean create) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored stored = load(id);
            if (stored == null && !create) {
                return false;
            }
            AlertRecord next = change.apply(stored == null ? null : stored.record());
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("id", AttributeValue.fromS(id));
            item.put("g", AttributeValue.fromS(G));
            item.put("sk", AttributeValue.fromS(Cursor.sortKey(next)));
            put(item, "camera", next.camera());
            put(item, "person", next.person());
            put(item, "type", next.type());
            put(item, "severity", next.severity());
            item.put("v", AttributeValue.fromN(Long.toString(stored == null ? 1 : stored.version() + 1)));
            item.put("record", AttributeValue.fromS(write(next)));
            try {
                if (stored == null) {
                    dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
                } else {
                    dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("v = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(stored.version())))));
                }
                return true;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // another writer (channel outcome, another instance) got there first: read again
            }
        }
        throw new IllegalStateException("alert history: record " + id + " kept changing under " + ATTEMPTS + " attempts");
    }

    @Override
    public void close() {
        s3.close();
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private String write(AlertRecord r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert record " + r.id() + " cannot be written as JSON", e);
        }
    }

    private AlertRecord parse(String text) {
        try {
            return json.readValue(text, AlertRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored alert record is not readable JSON", e);
        }
    }
}
