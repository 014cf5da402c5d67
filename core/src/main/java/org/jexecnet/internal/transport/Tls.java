package org.jexecnet.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS 1.3 for socket gateways, from the JDK's own JSSE: nothing to add to the core jar.
 *
 * <p>The server has a self-signed certificate and no certificate authority vouches for it. The client
 * accepts whatever certificate the server presents at the TLS layer and leaves authentication to the
 * shared-secret handshake that follows inside the TLS session ({@link SocketAuth}), which covers the
 * certificate's SHA-256 fingerprint as each side sees it. A server that does not know the secret cannot
 * prove it; a relay that terminates TLS with a certificate of its own cannot make the proofs match; a
 * relay that only forwards bytes can neither read nor change them.
 */
public final class Tls {
    private Tls() {}

    public static final String PROTOCOL = "TLSv1.3";
    /** The largest record a TLS 1.3 peer may send in plain text (the ClientHello is one): 2^14 bytes. */
    private static final int MAX_PLAIN_RECORD = 1 << 14;
    private static final int HANDSHAKE_RECORD = 22;
    private static final char[] IN_MEMORY = "jexecnet".toCharArray();

    private static volatile SSLContext client;

    /**
     * Starts TLS as the client on a connected socket; closing the returned socket closes the plain one.
     * Call {@link #prepareClient()} before connecting.
     *
     * @throws IOException when the TLS handshake fails: the message says why
     */
    public static SSLSocket client(Socket plain, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) prepareClient().getSocketFactory().createSocket(plain, host, port, true);
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        socket.startHandshake();
        return socket;
    }

    /**
     * Makes this JVM's client context, the first time, and composes one ClientHello with it, which loads
     * and warms what a handshake uses. Done before connecting, it keeps a new connection from sitting
     * idle while a cold JVM takes a few hundred milliseconds to say hello: a server under a flood makes
     * room by closing the connections that are slowest to say it ({@code Admission}).
     */
    public static SSLContext prepareClient() {
        SSLContext context = client;
        if (context == null) {
            try {
                context = SSLContext.getInstance(PROTOCOL);
                context.init(null, new TrustManager[] {new TrustedByTheHandshake()}, null);
                SSLEngine engine = context.createSSLEngine();
                engine.setUseClientMode(true);
                engine.setEnabledProtocols(new String[] {PROTOCOL});
                engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("this JVM cannot do TLS 1.3, which every Java 11 and later can: " + e, e);
            }
            client = context;
        }
        return context;
    }

    /** The TLS context of a server with this key and certificate. */
    public static SSLContext serverContext(PrivateKey key, X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("jexecnet", key, IN_MEMORY, new Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, IN_MEMORY);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with the server's key: " + e, e);
        }
    }

    /**
     * Starts TLS as the server on an accepted socket whose first record ({@link #readClientHello}) was
     * read already; closing the returned socket closes the plain one.
     */
    public static SSLSocket server(SSLContext context, Socket plain, byte[] clientHello) throws IOException {
        SSLSocketFactory factory = context.getSocketFactory();
        SSLSocket socket = (SSLSocket) factory.createSocket(plain, new ByteArrayInputStream(clientHello), true);
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        socket.startHandshake();
        return socket;
    }

    /**
     * Reads the client's first TLS record, its ClientHello, whole: the server counts a connection that
     * got this far as making progress. Refuses at once what is no TLS.
     *
     * @throws IOException at the end of the stream, or when the bytes are not a TLS handshake record:
     *     the message says what came instead
     */
    public static byte[] readClientHello(InputStream in) throws IOException {
        byte[] header = in.readNBytes(5);
        if (header.length > 0 && (header[0] != HANDSHAKE_RECORD || header.length > 1 && header[1] != 3)) {
            int first = header[0] & 0xff;
            throw new NotTls("not a jexecnet client: it began with 0x" + Integer.toHexString(first)
                    + (first >= 0x20 && first < 0x7f ? " ('" + (char) first + "')" : "")
                    + ", not a TLS handshake (Python execnet's socket gateway, a jexecnet client older than TLS, or no jexecnet at"
                    + " all: this server speaks TLS to jexecnet masters that know its secret)");
        }
        if (header.length < 5) {
            throw new IOException("the connection closed before a TLS ClientHello");
        }
        int length = (header[3] & 0xff) << 8 | header[4] & 0xff;
        if (length > MAX_PLAIN_RECORD) {
            throw new IOException("not a TLS client: its first record announces " + length + " bytes, more than TLS allows");
        }
        byte[] record = new byte[5 + length];
        System.arraycopy(header, 0, record, 0, 5);
        if (in.readNBytes(record, 5, length) < length) {
            throw new IOException("the connection closed in the middle of a TLS ClientHello");
        }
        return record;
    }

    /**
     * The first bytes of a connection open no TLS handshake: no jexecnet client of today sent them, so
     * the server may say so in plain text, which is all such a peer can read.
     */
    public static final class NotTls extends IOException {
        private static final long serialVersionUID = 1L;

        NotTls(String message) {
            super(message);
        }
    }

    /** The SHA-256 of the certificate's DER encoding, in hex: what the handshake binds both sides to. */
    public static String fingerprint(Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the server's certificate: " + e, e);
        }
    }

    /**
     * Accepts the server's certificate at the TLS layer: no authority vouches for a socket server's
     * self-signed certificate, and what authenticates the server is the shared-secret proof over its
     * fingerprint that follows. (JSSE still checks the certificate's algorithms against its constraints.)
     * It never accepts a client certificate; none is asked for.
     */
    private static final class TrustedByTheHandshake implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server presented no certificate");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("socket gateway clients authenticate with the shared secret");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
