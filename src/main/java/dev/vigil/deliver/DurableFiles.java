package dev.vigil.deliver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Files that must survive a crash whole or not at all (outbox entries, dead letters): written to a temporary
 * file in the same directory, forced to disk, moved into place atomically, and the directory forced. A reader
 * (a restart, {@code vigil redeliver}) never sees half a file.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Writes {@code bytes} as {@code file} (replacing it), creating its directory; true when it existed before. */
    public static boolean write(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        boolean existed = Files.exists(file);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: not every file system lets a directory be forced
        }
        return existed;
    }
}
