package org.clusworker.host.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A resource's own directory under the host's state directory ({@code <state>/<resource>}), private to
 * the host's user (0700, as the state directory is): pid files, action records and logs live there.
 */
final class WorkDirectory {

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path path;

    WorkDirectory(Path stateDirectory, String resource) {
        this.path = stateDirectory.resolve(fileName(resource));
    }

    /** A resource name as a file name: what is not {@code [A-Za-z0-9._-]} becomes {@code _}. */
    static String fileName(String resource) {
        return resource.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    Path path() {
        return path;
    }

    /**
     * Creates the directory (and the state directory) if missing, private to this user; an existing one
     * is made private too.
     */
    void create() {
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(path)) {
                Path parent = path.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                    if (posix) {
                        Files.setPosixFilePermissions(parent, PRIVATE);
                    }
                }
                if (posix) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PRIVATE));
                } else {
                    Files.createDirectories(path);
                }
            }
            if (posix && !Files.getPosixFilePermissions(path).equals(PRIVATE)) {
                Files.setPosixFilePermissions(path, PRIVATE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + path + " of resource: " + e.getMessage(), e);
        }
    }
}
