package org.jexecnet.internal.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jexecnet.ExecnetException;

/**
 * A file that only its owner may read: the socket server's shared secret, its TLS key. Like OpenSSH
 * with a private key, jexecnet refuses to use one that others can read or write, or that belongs to
 * someone else, and says how to fix it; it makes its own with mode 0600.
 */
public final class PrivateFile {
    private PrivateFile() {}

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * Reads the file after checking that it is private.
     *
     * @param what what the file holds and who needs it, for the message
     * @throws ExecnetException when it cannot be read, others may read or write it, or another user owns it
     */
    public static byte[] read(Path file, String what) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) { // a file system without POSIX modes (Windows) has its own ways
                PosixFileAttributes attributes = view.readAttributes();
                String user = System.getProperty("user.name");
                String owner = attributes.owner().getName();
                if (!owner.equals(user) && !owner.equals("root")) {
                    throw new ExecnetException(what + ": " + file + " belongs to " + owner + ", not to " + user
                            + ", so someone else controls it; refusing it. Copy it to a file of your own and chmod 600 that");
                }
                Set<PosixFilePermission> permissions = attributes.permissions();
                if (!OWNER_ONLY.containsAll(permissions)) {
                    throw new ExecnetException(what + ": " + file + " has mode " + PosixFilePermissions.toString(permissions)
                            + ": others may read or change it, so it is refused (as OpenSSH refuses such keys). Fix it with: chmod 600 "
                            + file);
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ExecnetException(what + ": cannot read " + file + ": " + e, e);
        }
    }

    /**
     * Writes a new file readable by its owner alone, in a directory of the owner's (made with mode 0700
     * when missing): under a temporary name created with mode 0600, then renamed into place, so nobody
     * ever sees it half written or with wider permissions.
     */
    public static void create(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".part", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
