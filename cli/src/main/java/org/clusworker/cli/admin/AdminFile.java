package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * {@code admin.json} in the host's state directory: where its admin API listens and the token every
 * request must carry. Written with permissions 0600 (readable by the host's owner only) before the
 * API answers anything, removed when the host stops.
 *
 * @param url   e.g. {@code http://127.0.0.1:41234/}
 * @param token the bearer token
 * @param host  the host's name
 * @param pid   the host's process id
 */
public record AdminFile(URI url, String token, String host, long pid) {

    public static final String NAME = "admin.json";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public static Path in(Path stateDirectory) {
        return stateDirectory.resolve(NAME);
    }

    /** Writes the file atomically, owner-only from the first byte. */
    public void write(Path stateDirectory, ObjectMapper json) throws IOException {
        Path target = in(stateDirectory);
        Path tmp = stateDirectory.resolve(NAME + "." + pid + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.write(tmp, json.writeValueAsBytes(this));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the file of the host running with {@code stateDirectory}.
     *
     * @throws AdminException if there is none (no host runs there) or it cannot be read
     */
    public static AdminFile read(Path stateDirectory, ObjectMapper json) {
        Path file = in(stateDirectory);
        try {
            return json.readValue(Files.readAllBytes(file), AdminFile.class);
        } catch (NoSuchFileException e) {
            throw new AdminException(0, "no host is running with state directory " + stateDirectory + " (" + file
                    + " does not exist); start one with 'clusworker run FILE', or name its state directory with --state-dir or --config");
        } catch (IOException e) {
            throw new AdminException(0, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Removes the file, if it is still this host's. */
    public void delete(Path stateDirectory, ObjectMapper json) {
        try {
            AdminFile current = json.readValue(Files.readAllBytes(in(stateDirectory)), AdminFile.class);
            if (current.token().equals(token)) {
                Files.deleteIfExists(in(stateDirectory));
            }
        } catch (IOException e) {
            // gone already, or replaced by another host's: either way not ours to delete
        }
    }
}
