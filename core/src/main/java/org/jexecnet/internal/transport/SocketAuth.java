package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jexecnet.ExecnetException;

/**
 * The socket server's challenge-response, which both ends run inside TLS 1.3 ({@link Tls}): each side
 * proves it knows the shared secret by an HMAC-SHA256 over both sides' fresh nonces and the SHA-256
 * fingerprint of the server's TLS certificate as that side sees it. The secret never crosses the wire,
 * a recorded conversation cannot be replayed, and a relay that terminates TLS with a certificate of its
 * own makes the two sides compute over different fingerprints, so neither accepts the other's proof
 * (the {@code tls-server-end-point} binding of RFC 5929).
 *
 * <pre>
 * server: JEXECNET-SOCKET/2 &lt;server nonce&gt;
 * client: AUTH &lt;client nonce&gt; &lt;hmac("client", server nonce, client nonce, fingerprint)&gt;
 * server: OK &lt;hmac("server", server nonce, client nonce, fingerprint)&gt;        (or it closes the connection)
 * client: START &lt;execmodel&gt; &lt;gateway id&gt; &lt;heartbeat seconds&gt; &lt;window bytes&gt;
 * server: then the worker's ready byte and the protocol
 * </pre>
 *
 * <p>Lines are ASCII, end in a newline and are at most {@link #MAX_LINE} bytes, so a peer that sends
 * garbage or an endless line is refused at once.
 */
public final class SocketAuth {
    private SocketAuth() {}

    public static final String GREETING = "JEXECNET-SOCKET/2";
    public static final int MAX_LINE = 512;
    /** What a gateway id in the {@code START} line may be: plain, so it is safe in a spec and a file name. */
    public static final String GATEWAY_ID = "[A-Za-z0-9_.:@+-]{1,128}";
    /** Where both ends read the secret when no file is named. */
    public static final String SECRET_VARIABLE = "JEXECNET_SECRET";
    /** The shortest secret accepted: 128 bits, if they are random. */
    public static final int MIN_SECRET_BYTES = 16;
    private static final String MAKE_ONE = "make one with: head -c 32 /dev/urandom | base64 > FILE && chmod 600 FILE";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The shared secret: the file's content without its final line break, else the
     * {@code JEXECNET_SECRET} environment variable.
     *
     * @param file the secret file, or null
     * @param where what needs the secret, for the message
     * @throws ExecnetException when there is no secret, the file cannot be read or others may read it,
     *     or the secret is shorter than {@link #MIN_SECRET_BYTES}: the message says how to fix it
     */
    public static byte[] secret(String file, String where) {
        String text;
        String source;
        if (file != null) {
            text = new String(PrivateFile.read(Path.of(file), where + ": the secret file"), StandardCharsets.UTF_8);
            text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            source = "the secret file " + file;
        } else {
            text = System.getenv(SECRET_VARIABLE);
            source = "$" + SECRET_VARIABLE;
        }
        if (text == null || text.isEmpty()) {
            throw new ExecnetException(where + " needs a shared secret: set " + SECRET_VARIABLE + " or name a file"
                    + " (secret_file= in the gateway spec, --secret-file for the server); the server and its clients must have the same; "
                    + MAKE_ONE);
        }
        byte[] secret = text.getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_SECRET_BYTES) {
            throw new ExecnetException(where + ": " + source + " holds a secret of " + secret.length + " bytes, which is guessed"
                    + " too easily; use at least " + MIN_SECRET_BYTES + " random bytes, on the server and its clients alike: " + MAKE_ONE);
        }
        return secret;
    }

    public static String nonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The proof of one side ({@code "client"} or {@code "server"}) for this pair of nonces, bound to the
     * server certificate's fingerprint as this side sees it.
     */
    public static String proof(byte[] secret, String side, String serverNonce, String clientNonce, String fingerprint) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] text = (side + "\n" + serverNonce + "\n" + clientNonce + "\n" + fingerprint).getBytes(StandardCharsets.US_ASCII);
            return HexFormat.of().formatHex(mac.doFinal(text));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks HmacSHA256, which every Java SE has", e);
        }
    }

    /** Compares two proofs in time that does not depend on where they differ. */
    public static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads one line of the handshake.
     *
     * @throws IOException at end of stream, on a line longer than {@link #MAX_LINE} or on bytes that
     *     are not printable ASCII: the message says which
     */
    public static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException(line.length() == 0 ? "the connection closed" : "the connection closed in the middle of a line");
            }
            if (b == '\n') {
                return line.toString();
            }
            if (b < 0x20 || b > 0x7e) {
                throw new IOException("a byte that is not printable ASCII (0x" + Integer.toHexString(b) + ") in the handshake");
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a handshake line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    public static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
