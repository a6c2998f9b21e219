package io.vigil.postgres.internal;

import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The ledger's rows in seq order, read by a thread of its own so that receiving them overlaps with checking them:
 * chunk after chunk, each one binary {@code COPY} of the next {@code chunk} rows by the primary key, handed over in
 * batches of messages ({@link BinaryRow} takes them apart). The connection belongs to this stream until {@link #close()}.
 */
public final class RowStream implements AutoCloseable {
    private static final int BATCH = 512;
    private static final List<byte[]> END = new ArrayList<>(0);

    private final BlockingQueue<List<byte[]>> queue = new ArrayBlockingQueue<>(16);
    private final Thread thread;
    private volatile boolean stopped;
    private volatile SQLException failure;
    private boolean ended;

    /**
     * Starts reading rows from seq {@code from} on; {@code select} is the COPY statement with a {@code %d} for the
     * first seq of a chunk, and it must read at most {@code chunk} rows in seq order.
     */
    public RowStream(CopyManager copies, String select, long from, int chunk) {
        thread = new Thread(() -> read(copies, select, from, chunk), "vigil-verify-rows");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(CopyManager copies, String select, long from, int chunk) {
        try {
            long next = from;
            boolean more = true;
            while (more && !stopped) {
                CopyOut copy = copies.copyOut(String.format(Locale.ROOT, select, next));
                int rows = 0;
                byte[] last = null;
                List<byte[]> batch = new ArrayList<>(BATCH);
                byte[] row;
                while ((row = copy.readFromCopy()) != null) {
                    if (!BinaryRow.holdsRow(row)) {
                        continue; // the format's header or trailer alone
                    }
                    rows++;
                    if (stopped) {
                        continue; // the checker is done: the chunk is read out, so that the connection is usable
                    }
                    batch.add(row);
                    last = row;
                    if (batch.size() == BATCH) {
                        queue.put(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
                if (!batch.isEmpty()) {
                    queue.put(batch);
                }
                more = rows == chunk && last != null;
                if (more) {
                    next = seqOf(last) + 1;
                }
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long seqOf(byte[] row) {
        BinaryRow r = new BinaryRow();
        if (!r.parse(row)) {
            throw new IllegalStateException("the last message of a chunk holds no row");
        }
        return r.longValue(0);
    }

    /**
     * The next batch of rows; empty at the end.
     *
     * @throws SQLException when reading failed
     */
    public List<byte[]> next() throws SQLException, InterruptedException {
        if (ended) {
            return END;
        }
        List<byte[]> batch = queue.take();
        if (batch == END) {
            ended = true;
            thread.join();
            SQLException f = failure;
            failure = null;
            if (f != null) {
                throw f;
            }
        }
        return batch;
    }

    /** Stops reading (what is in flight is read out) and waits until the connection is free again. */
    @Override
    public void close() throws SQLException {
        stopped = true;
        try {
            while (!ended) {
                if (queue.take() == END) {
                    ended = true;
                }
            }
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the rows were read", "57014", e);
        }
        if (failure != null) {
            SQLException f = failure;
            failure = null;
            throw f;
        }
    }
}
