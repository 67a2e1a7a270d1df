package dev.vigil.provision;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.Channels;
import dev.vigil.config.Household;
import java.util.ArrayList;
import java.util.List;

/**
 * The IAM policy Vigil's own runtime role needs for one household, scoped to its streams, tables, topic,
 * collection and processors ({@code vigil provision policy}). Teaching, forgetting and stranger recurrence
 * (docs/teaching.md) change the household's and the strangers collection and read each alert's deciding frame. docs/iam/vigil-runtime-policy.json is the same
 * policy with placeholders, for readers who do not run the command; a test keeps the two in step.
 */
public final class RuntimePolicy {

    private RuntimePolicy() {
    }

    /**
     * @param leaseTable     the KCL lease table (vigil.kinesis.application)
     * @param deliveredTable the delivered-alert table (vigil.delivered.table)
     * @param video          snapshots or clips are on (vigil.snapshot.enabled, vigil.clip.enabled)
     */
    public static String of(Household h, String account, String region, String leaseTable, String deliveredTable,
                            boolean video) {
        return of(h, account, region, leaseTable, deliveredTable, video, Names.HISTORY_TABLE,
                Names.historyBucket(account, region));
    }

    /**
     * @param historyTable  the alert history's table (vigil.history.table)
     * @param historyBucket the alert history's bucket of face crops and snapshots (vigil.history.bucket)
     */
    public static String of(Household h, String account, String region, String leaseTable, String deliveredTable,
                            boolean video, String historyTable, String historyBucket) {
        List<ObjectNode> statements = new ArrayList<>();
        List<Household.Camera> processed = h.cameras().stream()
                .filter(c -> c.engine() == Household.Engine.STREAM_PROCESSOR).toList();
        List<Household.Camera> sampled = h.cameras().stream().filter(c -> c.engine() == Household.Engine.IMAGE).toList();
        String collectionArn = "arn:aws:rekognition:" + region + ":" + account + ":collection/" + h.rekognition().collection();
        if (!processed.isEmpty()) {
            statements.add(Policies.statement("ReadCameraResultsStreams", List.of("kinesis:DescribeStreamSummary",
                    "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"),
                    processed.stream().map(c -> Policies.dataStreamArn(account, region, c.resultsStream())).toList()));
            statements.add(Policies.statement("KclLeasesAndCheckpoints", List.of("dynamodb:CreateTable",
                    "dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:GetItem", "dynamodb:PutItem",
                    "dynamodb:UpdateItem", "dynamodb:DeleteItem"), List.of(table(account, region, leaseTable))));
            List<String> processors = new ArrayList<>(processed.stream()
                    .map(c -> Policies.processorArn(account, region, Names.processor(c.id()))).toList());
            processors.add(collectionArn);
            statements.add(Policies.statement("StreamProcessorLifecycle", List.of("rekognition:DescribeStreamProcessor",
                    "rekognition:StartStreamProcessor", "rekognition:StopStreamProcessor",
                    "rekognition:CreateStreamProcessor", "rekognition:DeleteStreamProcessor",
                    "rekognition:ListTagsForResource", "rekognition:TagResource"), processors));
            List<String> roles = h.rekognition().processorRoleArn() != null ? List.of(h.rekognition().processorRoleArn())
                    : processed.stream().map(c -> "arn:aws:iam::" + account + ":role" + Names.ROLE_PATH
                    + Names.role(c.id())).toList();
            ObjectNode pass = Policies.statement("PassProcessorRoleToRekognition", List.of("iam:PassRole"), roles);
            pass.putObject("Condition").putObject("StringEquals").put("iam:PassedToService", "rekognition.amazonaws.com");
            statements.add(pass);
        }
        statements.add(Policies.statement("DeliveredAlertIds", List.of("dynamodb:CreateTable", "dynamodb:DescribeTable",
                "dynamodb:UpdateTimeToLive", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                List.of(table(account, region, deliveredTable))));
        statements.add(Policies.statement("AlertHistoryRecords", List.of("dynamodb:CreateTable",
                "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query",
                "dynamodb:Scan"), List.of(table(account, region, historyTable),
                table(account, region, historyTable) + "/index/*")));
        statements.add(Policies.statement("AlertHistoryBucket", List.of("s3:CreateBucket", "s3:ListBucket"),
                List.of("arn:aws:s3:::" + historyBucket)));
        statements.add(Policies.statement("AlertHistoryImages", List.of("s3:GetObject", "s3:PutObject",
                "s3:DeleteObject"), List.of("arn:aws:s3:::" + historyBucket + "/*")));
        if (!sampled.isEmpty()) {
            statements.add(Policies.statement("ImageEngineFrames", List.of("kinesisvideo:DescribeStream",
                    "kinesisvideo:GetDataEndpoint", "kinesisvideo:GetImages"), sampled.stream()
                    .map(c -> Policies.videoStreamArn(account, region, c.kvsStream())).toList()));
            statements.add(Policies.statement("ImageEngineSearch", List.of("rekognition:SearchFacesByImage"),
                    List.of(collectionArn)));
            statements.add(Policies.statement("ImageEngineDetectFaces", List.of("rekognition:DetectFaces"), List.of("*")));
        }
        if (video) {
            statements.add(Policies.statement("SnapshotsAndClips", List.of("kinesisvideo:GetDataEndpoint",
                    "kinesisvideo:GetImages", "kinesisvideo:GetHLSStreamingSessionURL", "kinesisvideo:GetHLSMasterPlaylist",
                    "kinesisvideo:GetHLSMediaPlaylist", "kinesisvideo:GetMP4InitFragment",
                    "kinesisvideo:GetMP4MediaFragment", "kinesisvideo:GetTSFragment"), h.cameras().stream()
                    .filter(c -> c.kvsStream() != null).map(c -> Policies.videoStreamArn(account, region, c.kvsStream()))
                    .toList()));
        }
        statements.add(Policies.statement("FaceCollectionAndStrangers", List.of("rekognition:IndexFaces",
                "rekognition:ListFaces", "rekognition:DeleteFaces", "rekognition:DisassociateFaces",
                "rekognition:SearchFacesByImage"), List.of(collectionArn, collectionArn.substring(0, collectionArn.lastIndexOf('/') + 1)
                + Names.strangers(h.rekognition().collection()))));
        statements.add(Policies.statement("DecidingFrames", List.of("kinesisvideo:GetDataEndpoint",
                "kinesisvideo:GetImages"), h.cameras().stream().filter(c -> c.kvsStream() != null)
                .map(c -> Policies.videoStreamArn(account, region, c.kvsStream())).toList()));
        Channels channels = h.channels();
        if (channels.sns() != null) {
            statements.add(Policies.statement("SnsChannel", List.of("sns:Publish"), List.of(channels.sns().topicArn())));
        }
        if (channels.email() != null && channels.email().transport() == Channels.Email.Transport.SES) {
            statements.add(Policies.statement("SesEmail", List.of("ses:SendRawEmail"),
                    List.of("arn:aws:ses:" + region + ":" + account + ":identity/*")));
        }
        return Policies.document(statements);
    }

    /** Indented for reading and pasting into IaC. */
    public static String pretty(String json) {
        try {
            return Policies.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Policies.JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String table(String account, String region, String name) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
    }
}
