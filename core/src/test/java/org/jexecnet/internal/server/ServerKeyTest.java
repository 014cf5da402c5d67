package org.jexecnet.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.HashSet;
import java.util.Set;
import org.jexecnet.ExecnetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's TLS identity: the DER the certificate writer makes, and the key file. */
class ServerKeyTest {

    @Test
    void everyCertificateIsOneTheJdkReadsAndVerifies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 300; i++) { // random serials and signatures: lengths vary, and each must be valid DER
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = SelfSignedCertificate.make(keys, "jexecnet socketserver");
            certificate.checkValidity();
            assertEquals("CN=jexecnet socketserver", certificate.getSubjectX500Principal().getName());
            assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
            assertEquals(3, certificate.getVersion());
            assertEquals("SHA256withECDSA", certificate.getSigAlgName());
            assertEquals(keys.getPublic(), certificate.getPublicKey());
            assertTrue(certificate.getSerialNumber().signum() > 0);
            serials.add(certificate.getSerialNumber());
        }
        assertEquals(300, serials.size());
    }

    @Test
    void aKeyFileIsMadeOnceWithMode0600AndReadBackAsTheSameKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config/jexecnet/key.pem");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerKey made = ServerKey.loadOrCreate(file, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("made a TLS key for this server in " + file), log.toString());
        ServerKey read = ServerKey.loadOrCreate(file, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(made.fingerprint(), read.fingerprint());
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void aKeyFileThatHoldsNoKeyIsRefusedSayingWhatToDo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ExecnetException e = assertThrows(ExecnetException.class, () -> ServerKey.loadOrCreate(file, System.err));
        assertTrue(e.getMessage().contains(file + " is not a key jexecnet can use"), e.getMessage());
        assertTrue(e.getMessage().contains("move it away and a new key is made at the next start"), e.getMessage());
    }
}
