package io.vigil.server;

import io.vigil.server.internal.PemKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS from the PEM files people have: a certificate and a PKCS#8 key made by openssl. */
class TlsTest {

    @TempDir
    Path tmp;

    private void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(List.of(args)).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        openssl("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        ServerOptions options = ServerOptions.defaults(tmp.resolve("server")).withPort(0)
                .withTls(new ServerOptions.Tls(cert, key));
        try (VigilServer server = VigilServer.start(options)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("no clear text on the TLS port").isInstanceOf(IOException.class);
        }
    }

    @Test
    void badPemFilesAreNamedWithWhatIsWrong() throws Exception {
        Path notCert = Files.writeString(tmp.resolve("x.pem"), "hello");
        Path notKey = Files.writeString(tmp.resolve("k.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemKeyStore.load(notCert, notKey)).isInstanceOf(IOException.class)
                .hasMessageContaining("x.pem").hasMessageContaining("BEGIN CERTIFICATE");
        openssl("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost");
        assertThatThrownBy(() -> PemKeyStore.load(tmp.resolve("cert.pem"), notKey)).isInstanceOf(IOException.class)
                .hasMessageContaining("k.pem").hasMessageContaining("PKCS#8");
    }
}
