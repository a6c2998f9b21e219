package io.vigil.postgres.internal;

import io.vigil.json.CanonicalBuffer;
import io.vigil.postgres.testsupport.PostgresServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link CopyBinary} writes, PostgreSQL reads back exactly: checked against a real server, value by value. */
class CopyBinaryTest {
    private static Connection connection;
    private static long row;

    @BeforeContainer
    static void table() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        String db = server.createDatabase("copybinary");
        connection = server.superuser(db);
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE t (k bigint PRIMARY KEY, s text, a text[], b bytea, ts timestamptz,"
                    + " u uuid, d double precision, j jsonb, n smallint)");
        }
    }

    @AfterContainer
    static void close() throws SQLException {
        connection.close();
    }

    @Property(tries = 200)
    void textAndArraysReadBackAsWritten(@ForAll("text") String s, @ForAll("arrays") List<String> flags,
                                        @ForAll byte[] bytes) throws SQLException {
        long k = copy(s, flags.toArray(new String[0]), bytes, Instant.EPOCH, new UUID(0, 0), 0.0);
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT s, a, b, j ->> 's', n FROM t WHERE k = " + k)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(s);
            assertThat(rs.getString(4)).isEqualTo(s);
            assertThat(rs.getInt(5)).isEqualTo(k % 1000);
            Array a = rs.getArray(2);
            assertThat(Arrays.asList((String[]) a.getArray())).isEqualTo(flags);
            assertThat(rs.getBytes(3)).isEqualTo(bytes);
        }
    }

    @Property(tries = 200)
    void timesIdsAndScoresReadBackAsWritten(@ForAll("micros") Instant t, @ForAll long hi, @ForAll long lo,
                                            @ForAll("scores") double d) throws SQLException {
        UUID u = new UUID(hi, lo);
        long k = copy("", new String[0], new byte[0], t, u, d);
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT ts, u, d FROM t WHERE k = " + k)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(t);
            assertThat(rs.getObject(2, UUID.class)).isEqualTo(u);
            assertThat(rs.getDouble(3)).isEqualTo(d);
        }
    }

    @Property(tries = 200)
    void binaryRowReadsWhatCopyBinaryWrites(@ForAll("text") String s, @ForAll("arrays") List<String> flags,
                                            @ForAll("micros") Instant t, @ForAll long hi, @ForAll long lo,
                                            @ForAll("scores") double d, @ForAll boolean withHeader) {
        CopyBinary out = new CopyBinary(16);
        if (withHeader) {
            out.header();
        }
        out.row(6).derived(new Object[] {s, flags.toArray(new String[0]), t, new UUID(hi, lo), d, null});
        byte[] message = Arrays.copyOf(out.array(), out.length());
        assertThat(BinaryRow.holdsRow(message)).isTrue();
        BinaryRow row = new BinaryRow();
        assertThat(row.parse(message)).isTrue();
        assertThat(row.size()).isEqualTo(6);
        assertThat(row.string(0)).isEqualTo(s);
        assertThat(row.textArray(1)).isEqualTo(flags);
        assertThat(row.longValue(2)).isEqualTo((t.getEpochSecond() - CopyBinary.POSTGRES_EPOCH_SECONDS) * 1_000_000L
                + t.getNano() / 1_000);
        assertThat(row.length(3)).isEqualTo(16);
        assertThat(Double.compare(row.doubleValue(4), d)).isZero();
        assertThat(row.isNull(5)).isTrue();

        byte[] headerOnly = Arrays.copyOf(new CopyBinary(16).header().array(), 19);
        byte[] trailer = Arrays.copyOf(new CopyBinary(16).trailer().array(), 2);
        CopyBinary both = new CopyBinary(16).header().trailer();
        assertThat(BinaryRow.holdsRow(headerOnly)).isFalse();
        assertThat(BinaryRow.holdsRow(trailer)).isFalse();
        assertThat(BinaryRow.holdsRow(Arrays.copyOf(both.array(), both.length()))).isFalse();
        assertThat(row.parse(trailer)).isFalse();
    }

    private static long copy(String s, String[] flags, byte[] bytes, Instant t, UUID u, double d) throws SQLException {
        long k = ++row;
        CopyBinary out = new CopyBinary(64).header().row(9).bigint(k).derived(new Object[] {s, flags})
                .text(bytes, 0, bytes.length).derived(new Object[] {t, u, d, new Columns.Json("{\"s\":" + quoted(s) + "}")})
                .smallint((int) (k % 1000)).trailer();
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY t (k, s, a, b, ts, u, d, j, n) FROM STDIN (FORMAT binary)");
        in.writeToCopy(out.array(), 0, out.length());
        in.endCopy();
        return k;
    }

    private static String quoted(String s) {
        CanonicalBuffer b = new CanonicalBuffer(16);
        b.appendString(s);
        return b.toString();
    }

    @Provide
    Arbitrary<String> text() {
        // any Unicode text PostgreSQL can hold (no NUL), with COPY's and arrays' special characters made likely
        Arbitrary<String> special = Arbitraries.strings().withChars("\\\t\n\r\"{},' N").ofMaxLength(12);
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0001', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                .ofMaxLength(40);
        return Arbitraries.oneOf(special, any, Arbitraries.of("NULL", "\\N", "", " "));
    }

    @Provide
    Arbitrary<List<String>> arrays() {
        return text().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Instant> micros() {
        // timestamptz holds microseconds; the years events are stamped with
        return Arbitraries.longs().between(-2_208_988_800_000_000L, 7_258_118_400_000_000L)
                .map(us -> Instant.EPOCH.plusNanos(us * 1_000));
    }

    @Provide
    Arbitrary<Double> scores() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(0.0, -0.0, 1e-300, 1.7976931348623157e308,
                Double.MIN_VALUE, 0.1, 100.0));
    }
}
