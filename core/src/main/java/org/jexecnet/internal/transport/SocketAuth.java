package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jexecnet.ExecnetException;

/**
 * The socket server's challenge-response, which both ends run: each side proves it knows the shared
 * secret by an HMAC-SHA256 over both sides' fresh nonces, so the secret never crosses the wire and a
 * recorded conversation cannot be replayed.
 *
 * <pre>
 * server: JEXECNET-SOCKET/1 &lt;server nonce&gt;
 * client: AUTH &lt;client nonce&gt; &lt;hmac("client", server nonce, client nonce)&gt;
 * server: OK &lt;hmac("server", server nonce, client nonce)&gt;        (or it closes the connection)
 * client: START &lt;execmodel&gt; &lt;gateway id&gt;
 * server: then the worker's ready byte and the protocol
 * </pre>
 *
 * <p>Lines are ASCII, end in a newline and are at most {@link #MAX_LINE} bytes, so a peer that sends
 * garbage or an endless line is refused at once.
 */
public final class SocketAuth {
    private SocketAuth() {}

    public static final String GREETING = "JEXECNET-SOCKET/1";
    public static final int MAX_LINE = 512;
    /** What a gateway id in the {@code START} line may be: plain, so it is safe in a spec and a file name. */
    public static final String GATEWAY_ID = "[A-Za-z0-9_.:@+-]{1,128}";
    /** Where both ends read the secret when no file is named. */
    public static final String SECRET_VARIABLE = "JEXECNET_SECRET";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The shared secret: the file's content without its final line break, else the
     * {@code JEXECNET_SECRET} environment variable.
     *
     * @param file the secret file, or null
     * @param where what needs the secret, for the message
     * @throws ExecnetException when there is no secret, or the file cannot be read
     */
    public static byte[] secret(String file, String where) {
        String text;
        if (file != null) {
            try {
                text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ExecnetException(where + ": cannot read the secret file " + file + ": " + e, e);
            }
            text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } else {
            text = System.getenv(SECRET_VARIABLE);
        }
        if (text == null || text.isEmpty()) {
            throw new ExecnetException(where + " needs a shared secret: set " + SECRET_VARIABLE + " or name a file"
                    + " (secret_file= in the gateway spec, --secret-file for the server); the server and its clients must have the same");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String nonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The proof of one side ({@code "client"} or {@code "server"}) for this pair of nonces. */
    public static String proof(byte[] secret, String side, String serverNonce, String clientNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] text = (side + "\n" + serverNonce + "\n" + clientNonce).getBytes(StandardCharsets.US_ASCII);
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
