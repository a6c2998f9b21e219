package io.vigil.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.tck.EntryLines;
import io.vigil.ledger.tck.LedgerStoreTamperingMatrix;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The PostgreSQL store passes the same kit as the file store; the tamper hooks edit rows as a superuser would. */
class PostgresStoreCompatibilityTest extends LedgerStoreTamperingMatrix {
    private LedgerDatabase db;
    private HikariDataSource writer;
    private HikariDataSource reader;

    @BeforeEach
    void database() throws Exception {
        db = LedgerDatabase.create("kit");
        writer = LedgerDatabase.pooled(db.writer());
        reader = LedgerDatabase.pooled(db.reader());
    }

    @AfterEach
    void closePools() {
        writer.close();
        reader.close();
    }

    @Override
    protected LedgerStore open(String origin, LedgerOptions options) throws IOException {
        return PostgresLedger.open(writer, options);
    }

    /** Read as a member of vigil_reader: SELECT is all a reader needs. */
    @Override
    protected LedgerReader openReader() throws IOException {
        return PostgresLedger.openReader(reader);
    }

    @Override
    protected VerificationReport verify(VerifierKey key) throws IOException {
        return PostgresVerifier.of(reader).key(key).verify();
    }

    @Override
    protected VerificationReport verify(VerifierKey key, Witness witness) throws IOException {
        return PostgresVerifier.of(reader).key(key).witness(witness).verify();
    }

    @Override
    protected void changeOneByte(long seq) throws IOException {
        String line = db.entry(seq);
        EntryLines.Member id = EntryLines.member(line, "id");
        int at = (id.valueStart() + id.end()) / 2;
        while (!Character.isLetterOrDigit(line.charAt(at))) {
            at++;
        }
        db.replaceEntryOnly(seq, line.substring(0, at) + (char) (line.charAt(at) ^ 1) + line.substring(at + 1));
    }

    @Override
    protected void changeField(long seq, String field, String newJsonValue) throws IOException {
        String changed = EntryLines.withValue(db.entry(seq), field, newJsonValue);
        if (field.equals("seq") || field.equals("hash")) {
            // the row keeps its place (and the hash column stays unique): only the line claims another seq or hash
            db.replaceEntryOnly(seq, changed);
        } else {
            db.replaceRow(seq, changed); // the line and every column derived from it, as a careful editor would
        }
    }

    @Override
    protected void deleteEntry(long seq) throws IOException {
        db.deleteRows(seq, seq + 1);
    }

    @Override
    protected void insertEntryAfter(long seq, String line) throws IOException {
        db.insertAfter(seq, line);
    }

    @Override
    protected void swapEntries(long a, long b) throws IOException {
        db.swap(a, b);
    }

    @Override
    protected void cutTailFrom(long seq) throws IOException {
        db.deleteRows(seq, Long.MAX_VALUE);
    }

    @Override
    protected void rewriteFrom(long seq, UnaryOperator<String> change) throws IOException {
        String prev = seq == 0 ? EntryLines.genesis(ORIGIN) : EntryLines.hash(db.entry(seq - 1));
        List<String> rewritten = new ArrayList<>();
        for (String stored : db.entriesFrom(seq)) {
            String line = rewritten.isEmpty() ? change.apply(stored) : stored;
            line = EntryLines.rehash(EntryLines.withValue(line, "prevHash", EntryLines.quote(prev)));
            rewritten.add(line);
            prev = EntryLines.hash(line);
        }
        db.replaceRowsFrom(seq, rewritten);
    }

    @Override
    protected void replaceCheckpoint(long size, SignedCheckpoint forged) throws IOException {
        db.replaceCheckpoint(size, forged.checkpoint().root().hex(), forged.encode());
    }

    @Override
    protected Snapshot snapshot() throws IOException {
        return db.snapshot();
    }

    @Override
    protected void rollbackTo(Snapshot snapshot) throws IOException {
        db.rollbackTo((LedgerDatabase.Copy) snapshot);
    }
}
