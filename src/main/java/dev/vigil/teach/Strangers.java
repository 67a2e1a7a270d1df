package dev.vigil.teach;

import dev.vigil.faces.FaceCollection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.Attribute;
import software.amazon.awssdk.services.rekognition.model.Face;
import software.amazon.awssdk.services.rekognition.model.FaceMatch;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.QualityFilter;
import software.amazon.awssdk.services.rekognition.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;

/**
 * The strangers collection ({@code <collection>-strangers}, created by {@code vigil provision}, or here on
 * first use): the face of every unknown_face alert, indexed with ExternalImageId = the alert id, so a face
 * that comes back is recognised as the same stranger. Never holds a person id.
 */
public class Strangers {

    /** Similarity at or above which two unknown faces count as the same stranger. */
    public static final float SAME_STRANGER = 90f;
    private static final Logger LOG = LoggerFactory.getLogger(Strangers.class);

    /** Built on first use (issue 15: a start with teaching idle creates no Rekognition client). */
    private final java.util.function.Supplier<RekognitionClient> rekognition;
    private final String collection;
    private final java.time.Duration alertBudget;

    public Strangers(RekognitionClient rekognition, String collection) {
        this(rekognition, collection, java.time.Duration.ofSeconds(10));
    }

    /**
     * @param alertBudget how long the search and the indexing of a new alert's face may take (the alert waits for
     *                    them): one call, the SDK's retries included; past it the alert goes on without them
     */
    public Strangers(RekognitionClient rekognition, String collection, java.time.Duration alertBudget) {
        this(() -> rekognition, collection, alertBudget);
    }

    /** @param rekognition called on each use: give a supplier that builds the client once (AwsClients::rekognition) */
    public Strangers(java.util.function.Supplier<RekognitionClient> rekognition, String collection,
            java.time.Duration alertBudget) {
        this.rekognition = rekognition;
        this.collection = collection;
        this.alertBudget = alertBudget;
    }

    public String collection() {
        return collection;
    }

    /** The alert ids of the earlier faces of this stranger (SearchFacesByImage); empty for a first visit. */
    public List<String> search(byte[] crop) {
        try {
            List<FaceMatch> matches = rekognition.get().searchFacesByImage(b -> b.collectionId(collection)
                    .image(image(crop)).faceMatchThreshold(SAME_STRANGER).maxFaces(100)
                    .overrideConfiguration(o -> o.apiCallTimeout(alertBudget))).faceMatches();
            return matches.stream().map(m -> m.face().externalImageId()).filter(id -> id != null).distinct().toList();
        } catch (ResourceNotFoundException e) {
            return List.of(); // no stranger yet
        } catch (InvalidParameterException e) {
            return List.of(); // Rekognition finds no face in the crop: nothing to compare
        }
    }

    /** Indexes the stranger's face under the alert id; returns the face id, or null when it was not indexed. */
    public String index(String alertId, byte[] crop) {
        try {
            return indexOnce(alertId, crop);
        } catch (ResourceNotFoundException e) {
            try {
                rekognition.get().createCollection(b -> b.collectionId(collection).tags(Map.of("vigil:managed", "true")));
                LOG.info("Created the strangers collection {}", collection);
            } catch (ResourceAlreadyExistsException exists) {
                // created meanwhile
            }
            return indexOnce(alertId, crop);
        }
    }

    private String indexOnce(String alertId, byte[] crop) {
        var records = rekognition.get().indexFaces(b -> b.collectionId(collection).image(image(crop)).externalImageId(alertId)
                .maxFaces(1).qualityFilter(QualityFilter.AUTO).detectionAttributes(Attribute.DEFAULT)
                .overrideConfiguration(o -> o.apiCallTimeout(alertBudget))).faceRecords();
        return records.isEmpty() ? null : records.get(0).face().faceId();
    }

    /** The stored faces whose alert id passes the filter (ListFaces, every page). */
    public List<Face> faces(Predicate<String> alertId) {
        return FaceCollection.allFaces(rekognition.get(), collection).stream().filter(f -> alertId.test(f.externalImageId()))
                .toList();
    }

    /** Deletes every face stored for these alerts; returns how many were deleted. */
    public int delete(Collection<String> alertIds) {
        Set<String> ids = Set.copyOf(alertIds);
        return deleteFaces(faces(ids::contains).stream().map(Face::faceId).toList());
    }

    /** Deletes these faces (4096 a call); returns how many Rekognition deleted. */
    public int deleteFaces(List<String> faceIds) {
        int deleted = 0;
        for (List<String> batch : FaceCollection.batches(faceIds, FaceCollection.DELETE_BATCH)) {
            deleted += rekognition.get().deleteFaces(b -> b.collectionId(collection).faceIds(batch)).deletedFaces().size();
        }
        return deleted;
    }

    private static Image image(byte[] jpeg) {
        return Image.builder().bytes(SdkBytes.fromByteArray(jpeg)).build();
    }
}
