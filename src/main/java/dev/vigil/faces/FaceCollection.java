package dev.vigil.faces;

import dev.vigil.config.Household;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.Attribute;
import software.amazon.awssdk.services.rekognition.model.Face;
import software.amazon.awssdk.services.rekognition.model.FaceDetail;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.IndexFacesResponse;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.ListFacesResponse;
import software.amazon.awssdk.services.rekognition.model.QualityFilter;
import software.amazon.awssdk.services.rekognition.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;

/**
 * The household's Rekognition face collection: enrol a person's photos, list people with their face counts,
 * forget a person. Everything is checked before the first call that changes the collection, so a refused
 * request changes nothing.
 *
 * <p>Over 250 lines on purpose: enrol, list and forget share the checks, the paging of ListFaces and the audit
 * line; the photo rules, crops and reasons already live in Photo, FaceCrop and UnindexedReasons.
 */
public class FaceCollection {

    /** DeleteFaces takes at most 4096 face ids per call, DisassociateFaces 100. */
    public static final int DELETE_BATCH = 4096;
    static final int DISASSOCIATE_BATCH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FaceCollection.class);

    /** Built on first use (issue 15: a start that never touches the collection creates no Rekognition client). */
    private final java.util.function.Supplier<RekognitionClient> rekognition;
    private final String collection;
    private final Household household;
    private final FaceAudit audit;

    public FaceCollection(RekognitionClient rekognition, Household household, FaceAudit audit) {
        this(() -> rekognition, household, audit);
    }

    /** @param rekognition called on each use: give a supplier that builds the client once (AwsClients::rekognition) */
    public FaceCollection(java.util.function.Supplier<RekognitionClient> rekognition, Household household, FaceAudit audit) {
        this.rekognition = rekognition;
        this.collection = household.rekognition().collection();
        this.household = household;
        this.audit = audit;
    }

    public String collection() {
        return collection;
    }

    public FaceAudit audit() {
        return audit;
    }

    /** One photo's outcome: the face id indexed, or why no face was. */
    public record PhotoResult(String photo, String faceId, List<String> reasons) {
    }

    public record Enrolment(String person, String collection, List<PhotoResult> indexed, List<PhotoResult> notIndexed,
                            boolean inHousehold) {
    }

    /**
     * Enrols a person: finds the faces in every photo first (DetectFaces), refuses photos without a face or
     * with several unless {@code faceNumber} (1 = leftmost face; one photo only) chooses one, then indexes
     * one face per photo (IndexFaces, ExternalImageId = person id, MaxFaces 1, QualityFilter AUTO).
     */
    public Enrolment enrol(String personId, List<Photo> photos, Integer faceNumber, String requestedBy) {
        PersonId.check(personId);
        if (photos.isEmpty()) {
            throw new Refused(400, "no photo given");
        }
        if (faceNumber != null && photos.size() != 1) {
            throw new Refused(400, "choosing a face works with one photo at a time; enrol that photo on its own");
        }
        List<Photo> toIndex = new ArrayList<>();
        for (Photo photo : photos) {
            toIndex.add(oneFace(photo, faceNumber));
        }
        List<PhotoResult> indexed = new ArrayList<>();
        List<PhotoResult> notIndexed = new ArrayList<>();
        for (Photo photo : toIndex) {
            IndexFacesResponse response;
            try {
                response = indexFaces(personId, photo);
            } catch (RuntimeException e) { // half done: what was indexed stays, and the audit says so
                if (!indexed.isEmpty()) {
                    audit.write("enrol", requestedBy, personId, collection, Map.of("photos", photos.size(),
                            "facesIndexed", indexed.size(), "faceIds", indexed.stream().map(PhotoResult::faceId).toList(),
                            "incomplete", photo.label() + ": " + e.getClass().getSimpleName()));
                }
                throw e;
            }
            if (!response.faceRecords().isEmpty()) {
                indexed.add(new PhotoResult(photo.label(), response.faceRecords().get(0).face().faceId(), List.of()));
            } else {
                List<String> reasons = response.unindexedFaces().stream()
                        .flatMap(u -> u.reasonsAsStrings().stream()).distinct().toList();
                notIndexed.add(new PhotoResult(photo.label(), null, reasons.isEmpty()
                        ? List.of("Rekognition found no face it could index") : UnindexedReasons.plain(reasons)));
            }
        }
        audit.write("enrol", requestedBy, personId, collection, Map.of("photos", photos.size(),
                "facesIndexed", indexed.size(), "faceIds", indexed.stream().map(PhotoResult::faceId).toList()));
        LOG.info("Enrolled {} face(s) from {} photo(s) into collection {}", indexed.size(), photos.size(), collection);
        return new Enrolment(personId, collection, indexed, notIndexed, inHousehold(personId));
    }

    /** The photo to index: as given when it shows one face, the chosen face cut out when it shows several. */
    private Photo oneFace(Photo photo, Integer faceNumber) {
        List<FaceDetail> faces = new ArrayList<>(rekognition.get().detectFaces(b -> b
                .image(image(photo)).attributes(Attribute.DEFAULT)).faceDetails());
        faces.sort(Comparator.comparing(f -> f.boundingBox().left()));
        if (faces.isEmpty()) {
            throw new Refused(422, photo.label() + ": Rekognition found no face in this photo");
        }
        if (faceNumber == null) {
            if (faces.size() > 1) {
                throw new Refused(422, photo.label() + ": shows " + faces.size() + " faces; say which one to enrol"
                        + " (--face N on the command line, ?face=N in the API; 1 is the leftmost face)",
                        Map.of("faces", describe(faces)));
            }
            return photo;
        }
        if (faceNumber < 1 || faceNumber > faces.size()) {
            throw new Refused(400, photo.label() + ": there is no face " + faceNumber + "; this photo shows "
                    + faces.size() + " face(s), numbered from 1 at the left", Map.of("faces", describe(faces)));
        }
        return faces.size() == 1 ? photo : FaceCrop.crop(photo, faces.get(faceNumber - 1).boundingBox(), faceNumber);
    }

    private static List<Map<String, Object>> describe(List<FaceDetail> faces) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            var box = faces.get(i).boundingBox();
            out.add(Map.of("face", i + 1, "left", box.left(), "top", box.top(), "width", box.width(),
                    "height", box.height()));
        }
        return out;
    }

    private IndexFacesResponse indexFaces(String personId, Photo photo) {
        Consumer<software.amazon.awssdk.services.rekognition.model.IndexFacesRequest.Builder> request = b -> b
                .collectionId(collection).image(image(photo)).externalImageId(personId).maxFaces(1)
                .qualityFilter(QualityFilter.AUTO).detectionAttributes(Attribute.DEFAULT);
        try {
            try {
                return rekognition.get().indexFaces(request);
            } catch (ResourceNotFoundException e) {
                createCollection();
                return rekognition.get().indexFaces(request);
            }
        } catch (InvalidImageFormatException | ImageTooLargeException e) {
            throw new Refused(422, photo.label() + ": Rekognition cannot use this image ("
                    + e.awsErrorDetails().errorMessage() + ")");
        }
    }

    private void createCollection() {
        try {
            rekognition.get().createCollection(b -> b.collectionId(collection).tags(Map.of("vigil:managed", "true")));
            LOG.info("Created the face collection {}", collection);
        } catch (ResourceAlreadyExistsException e) {
            // created meanwhile by someone else: fine
        }
    }

    private static Image image(Photo photo) {
        return Image.builder().bytes(SdkBytes.fromByteArray(photo.bytes())).build();
    }

    /** A person known to the collection, the household file, or both. */
    public record Person(String id, int faces, boolean inHousehold) {
    }

    /** Everyone with faces in the collection (ListFaces, every page) and everyone the household file lists. */
    public List<Person> people() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Face face : allFaces()) {
            counts.merge(face.externalImageId() == null ? "" : face.externalImageId(), 1, Integer::sum);
        }
        household.people().forEach(p -> counts.putIfAbsent(p.id(), 0));
        return counts.entrySet().stream().map(e -> new Person(e.getKey(), e.getValue(), inHousehold(e.getKey())))
                .toList();
    }

    public record Forgotten(String person, String collection, int facesFound, int facesRemoved,
                            List<String> notRemoved, int usersDisassociated, boolean stillInHousehold) {
    }

    /** The faces a forget would remove, without removing them. */
    public List<Face> facesOf(String personId) {
        PersonId.check(personId);
        return allFaces().stream().filter(f -> personId.equals(f.externalImageId())).toList();
    }

    /**
     * Forgets a person: every face with their ExternalImageId, disassociated first from any user vector
     * (DisassociateFaces; the user itself is left in place), then deleted (DeleteFaces, 4096 per call).
     * Writes an audit record when faces were found.
     */
    public Forgotten forget(String personId, String requestedBy) {
        Forgotten forgotten = removeFaces(personId, requestedBy);
        if (forgotten.facesFound() == 0) {
            return forgotten; // nothing changed
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("facesFound", forgotten.facesFound());
        fields.put("facesRemoved", forgotten.facesRemoved());
        fields.put("facesNotRemoved", forgotten.notRemoved().size());
        fields.put("usersDisassociated", forgotten.usersDisassociated());
        audit.write("forget", requestedBy, personId, collection, fields);
        return forgotten;
    }

    /**
     * {@link #forget} without its audit record: for a caller that writes one record for several places. A
     * deletion that fails half-way still writes an audit record of what was removed before it failed.
     */
    public Forgotten removeFaces(String personId) {
        return removeFaces(personId, "forget-everywhere");
    }

    private Forgotten removeFaces(String personId, String requestedBy) {
        List<Face> faces = facesOf(personId);
        if (faces.isEmpty()) {
            return new Forgotten(personId, collection, 0, 0, List.of(), 0, inHousehold(personId)); // nothing changed
        }
        Map<String, List<String>> byUser = faces.stream().filter(f -> f.userId() != null)
                .collect(Collectors.groupingBy(Face::userId, LinkedHashMap::new,
                        Collectors.mapping(Face::faceId, Collectors.toList())));
        byUser.forEach((user, ids) -> {
            for (List<String> batch : batches(ids, DISASSOCIATE_BATCH)) {
                var response = rekognition.get().disassociateFaces(b -> b.collectionId(collection).userId(user)
                        .faceIds(batch).clientRequestToken(java.util.UUID.randomUUID().toString()));
                if (!response.unsuccessfulFaceDisassociations().isEmpty()) {
                    throw new IllegalStateException("Rekognition did not disassociate "
                            + response.unsuccessfulFaceDisassociations().size() + " face(s) from their user: "
                            + response.unsuccessfulFaceDisassociations().get(0).reasonsAsStrings()
                            + "; nothing was deleted yet, try again");
                }
            }
        });
        int removed = 0;
        List<String> notRemoved = new ArrayList<>();
        List<String> ids = faces.stream().map(Face::faceId).toList();
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            for (List<String> batch : batches(ids, DELETE_BATCH)) {
                var response = rekognition.get().deleteFaces(b -> b.collectionId(collection).faceIds(batch));
                removed += response.deletedFaces().size();
                response.unsuccessfulFaceDeletions().forEach(u -> notRemoved.add(u.faceId() + ": " + u.reasonsAsStrings()));
            }
        } catch (RuntimeException e) { // half done: the audit says what was removed before it failed
            if (removed > 0 || !byUser.isEmpty()) {
                fields.put("facesFound", faces.size());
                fields.put("facesRemoved", removed);
                fields.put("usersDisassociated", byUser.size());
                fields.put("incomplete", e.getClass().getSimpleName());
                audit.write("forget", requestedBy, personId, collection, fields);
            }
            throw e;
        }
        LOG.info("Forgot a person: {} face(s) removed from collection {}", removed, collection);
        return new Forgotten(personId, collection, faces.size(), removed, notRemoved, byUser.size(),
                inHousehold(personId));
    }

    private List<Face> allFaces() {
        return allFaces(rekognition.get(), collection);
    }

    /** Every face of a collection (ListFaces, every page); empty when the collection does not exist. */
    public static List<Face> allFaces(RekognitionClient rekognition, String collection) {
        List<Face> faces = new ArrayList<>();
        String token = null;
        try {
            do {
                String next = token;
                ListFacesResponse page = rekognition.listFaces(b -> b.collectionId(collection).maxResults(1000)
                        .nextToken(next));
                faces.addAll(page.faces());
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (ResourceNotFoundException e) {
            return List.of(); // no collection yet: nobody enrolled
        }
        return faces;
    }

    private boolean inHousehold(String personId) {
        return household.people().stream().anyMatch(p -> p.id().equals(personId));
    }

    public static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
