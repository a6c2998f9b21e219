package io.vigil.bench.gateway;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator's response reader: each response is consumed exactly, so the next one starts where it should. */
class KeepAliveConnectionTest {

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsResponsesBackToBackOnOneConnection() throws Exception {
        InputStream in = stream("HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"bcd\"}"
                + "HTTP/1.1 401 \r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 503 \r\nContent-Length: 2\r\nConnection: close\r\n\r\nno");
        assertThat(KeepAliveConnection.read(in)).isEqualTo(new KeepAliveConnection.Response(200, false));
        assertThat(KeepAliveConnection.read(in)).isEqualTo(new KeepAliveConnection.Response(401, false));
        assertThat(KeepAliveConnection.read(in)).isEqualTo(new KeepAliveConnection.Response(200, false));
        assertThat(KeepAliveConnection.read(in)).isEqualTo(new KeepAliveConnection.Response(204, false));
        assertThat(KeepAliveConnection.read(in)).isEqualTo(new KeepAliveConnection.Response(503, true));
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aBodyWithoutALengthRunsToTheEndWhenTheServerCloses() throws Exception {
        InputStream in = stream("HTTP/1.0 200 OK\r\n\r\nwhatever follows");
        assertThat(KeepAliveConnection.read(in)).isEqualTo(new KeepAliveConnection.Response(200, true));
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aResponseCutShortIsAnError() {
        assertThatThrownBy(() -> KeepAliveConnection.read(stream("HTTP/1.1 200 \r\nContent-Length: 10\r\n\r\nabc")))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> KeepAliveConnection.read(stream(""))).isInstanceOf(EOFException.class)
                .hasMessageContaining("closed by the server");
        assertThatThrownBy(() -> KeepAliveConnection.read(stream("SSH-2.0-OpenSSH\r\n")))
                .hasMessageContaining("not an HTTP/1.x status line");
    }
}
