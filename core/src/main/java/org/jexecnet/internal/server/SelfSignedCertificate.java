package org.jexecnet.internal.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A self-signed X.509 certificate for an EC key pair, written in DER: the JDK can read certificates and
 * sign bytes but has no public API to build a certificate. {@code keytool} could, as a process of its
 * own (a second JVM start, the key handed over in a keystore file with a password on its command
 * line); these few DER structures cost less and keep the key in this JVM. The JDK's own parser reads
 * the result and checks its signature before it is used.
 *
 * <p>The certificate carries nothing a client checks: the subject is a plain name and it never expires
 * (RFC 5280's 99991231235959Z). Clients trust it through the shared-secret handshake over its
 * fingerprint, not through its fields.
 */
final class SelfSignedCertificate {
    private SelfSignedCertificate() {}

    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OBJECT_ID = 0x06;
    private static final int UTF8_STRING = 0x0c;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int EXPLICIT_0 = 0xa0;
    /** ecdsa-with-SHA256, 1.2.840.10045.4.3.2 */
    private static final byte[] ECDSA_WITH_SHA256 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    /** commonName, 2.5.4.3 */
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

    /** Makes and signs the certificate; {@code name} becomes its subject and issuer. */
    static X509Certificate make(KeyPair keys, String name) throws GeneralSecurityException {
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] = (byte) (serial[0] & 0x7f | 0x40); // a positive INTEGER whose first byte is not 0: DER's minimal form
        byte[] algorithm = tlv(SEQUENCE, tlv(OBJECT_ID, ECDSA_WITH_SHA256));
        byte[] subject = tlv(SEQUENCE, tlv(SET, tlv(SEQUENCE, tlv(OBJECT_ID, COMMON_NAME), tlv(UTF8_STRING,
                name.getBytes(StandardCharsets.UTF_8)))));
        String notBefore = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).format(UTC); // UTCTime serves until 2049
        byte[] validity = tlv(SEQUENCE, tlv(UTC_TIME, notBefore.getBytes(StandardCharsets.US_ASCII)),
                tlv(GENERALIZED_TIME, "99991231235959Z".getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = tlv(SEQUENCE, tlv(EXPLICIT_0, tlv(INTEGER, new byte[] {2})), tlv(INTEGER, serial), algorithm, subject, validity,
                subject, keys.getPublic().getEncoded());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // a leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] der = tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, bits));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        certificate.verify(keys.getPublic());
        return certificate;
    }

    /** One DER element: the tag, the length (short form below 128, else long form), then the contents. */
    private static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : contents) {
            body.writeBytes(part);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 4);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
