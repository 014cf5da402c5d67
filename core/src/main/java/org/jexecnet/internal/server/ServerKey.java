package org.jexecnet.internal.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jexecnet.ExecnetException;
import org.jexecnet.internal.transport.PrivateFile;
import org.jexecnet.internal.transport.Tls;

/**
 * The socket server's TLS identity: an EC P-256 key pair and a self-signed certificate. A server makes
 * it on its first start and keeps it in a PEM file (the key in PKCS#8, then the certificate) of mode
 * 0600, so that its fingerprint stays the same across restarts; it refuses a key file that others can
 * read, as it refuses such a secret file. A one-client server ({@code installvia=}) keeps a key in
 * memory only.
 */
public final class ServerKey {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String fingerprint;

    private ServerKey(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
        this.fingerprint = Tls.fingerprint(certificate);
    }

    /** Where a server keeps its key unless told otherwise: {@code $XDG_CONFIG_HOME/jexecnet}, else {@code ~/.config/jexecnet}. */
    public static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("jexecnet").resolve("socketserver-key.pem");
    }

    /**
     * Reads the key file, or makes a new key and writes it there (mode 0600) when there is none.
     *
     * @throws ExecnetException when the file cannot be read or written, others may read it, or it holds
     *     no key: the message says how to fix it
     */
    public static ServerKey loadOrCreate(Path file, PrintStream log) {
        if (!Files.exists(file)) {
            ServerKey made = ephemeral();
            try {
                PrivateFile.create(file, made.pem());
            } catch (IOException e) {
                throw new ExecnetException("socketserver: cannot store its new TLS key in " + file + ": " + e
                        + "; name another file with --key-file", e);
            }
            log.println("jexecnet socketserver: made a TLS key for this server in " + file + " (mode 0600)");
        }
        return read(file);
    }

    private static ServerKey read(Path file) {
        String text = new String(PrivateFile.read(file, "socketserver: its TLS key"), StandardCharsets.US_ASCII);
        byte[] pkcs8 = null;
        byte[] der = null;
        for (Matcher block = PEM.matcher(text); block.find(); ) {
            byte[] bytes = Base64.getMimeDecoder().decode(block.group(2));
            if (block.group(1).equals("PRIVATE KEY")) {
                pkcs8 = bytes;
            } else if (block.group(1).equals("CERTIFICATE")) {
                der = bytes;
            }
        }
        try {
            if (pkcs8 == null || der == null) {
                throw new GeneralSecurityException("it holds no PRIVATE KEY and CERTIFICATE in PEM");
            }
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new ServerKey(key, certificate);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ExecnetException("socketserver: " + file + " is not a key jexecnet can use (" + e.getMessage()
                    + "); move it away and a new key is made at the next start", e);
        }
    }

    /** A new key, kept in memory only. */
    public static ServerKey ephemeral() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            return new ServerKey(keys.getPrivate(), SelfSignedCertificate.make(keys, "jexecnet socketserver"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make an EC P-256 key, which every Java SE can: " + e, e);
        }
    }

    private byte[] pem() {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return ("-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(der()) + "\n-----END CERTIFICATE-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] der() {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 fingerprint of the certificate, in hex, as clients see it. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The TLS context of a server with this key. */
    public SSLContext context() {
        return Tls.serverContext(key, certificate);
    }
}
