package io.vigil.server.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the PEM files people have (a certificate chain and a PKCS#8 key, as certificate authorities and
 * {@code openssl} write them) into the in-memory key store the TLS stack wants. Written here because the JDK reads
 * DER but not PEM's armour, which is a few lines; a library for it would be a dependency for those lines.
 */
public final class PemKeyStore {
    /** The password of the in-memory store; it never leaves this process. */
    public static final char[] PASSWORD = "vigil".toCharArray();
    private static final Pattern CERTIFICATE = block("CERTIFICATE");
    private static final Pattern PRIVATE_KEY = block("PRIVATE KEY");

    private PemKeyStore() {
    }

    private static Pattern block(String label) {
        return Pattern.compile("-----BEGIN " + label + "-----([A-Za-z0-9+/=\\s]+)-----END " + label + "-----");
    }

    /**
     * @throws IOException naming the file and what is wrong with it
     */
    public static KeyStore load(Path certificateChain, Path privateKey) throws IOException {
        String certs = Files.readString(certificateChain, StandardCharsets.US_ASCII);
        List<Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Matcher m = CERTIFICATE.matcher(certs);
            while (m.find()) {
                chain.add(x509.generateCertificate(new ByteArrayInputStream(der(m.group(1)))));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(certificateChain + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateChain + ": no '-----BEGIN CERTIFICATE-----' block");
        }
        String keyText = Files.readString(privateKey, StandardCharsets.US_ASCII);
        Matcher k = PRIVATE_KEY.matcher(keyText);
        if (!k.find()) {
            throw new IOException(privateKey + ": no '-----BEGIN PRIVATE KEY-----' block (an unencrypted PKCS#8 key;"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        PrivateKey key = privateKey(der(k.group(1)), chain.get(0).getPublicKey().getAlgorithm(), privateKey);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException(privateKey + " does not go with " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8, String algorithm, Path file) throws IOException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a " + algorithm + " private key for the certificate: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] der(String base64) {
        return Base64.getMimeDecoder().decode(base64);
    }
}
