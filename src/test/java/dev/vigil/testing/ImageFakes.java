package dev.vigil.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The image engine's two fakes for a test class ({@code @RegisterExtension static final ImageFakes fakes}):
 * the shared Kinesis Video fake and a Rekognition image-search fake with the class's faces, both emptied
 * before each test; the Rekognition fake closed after the class (the KVS fake lives for the JVM).
 */
public final class ImageFakes implements BeforeEachCallback, AfterAllCallback {

    public final KvsFake kvs = KvsFake.shared();
    public final ImageSearchFake rekognition;

    public ImageFakes(ImageSearchFake rekognition) {
        this.rekognition = rekognition;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        kvs.reset();
        rekognition.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        rekognition.close();
    }
}
