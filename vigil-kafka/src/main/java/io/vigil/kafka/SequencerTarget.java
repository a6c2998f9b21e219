package io.vigil.kafka;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where a sequencer keeps its ledgers, one per partition. */
public sealed interface SequencerTarget permits SequencerTarget.Files, SequencerTarget.Postgres {

    /**
     * File ledgers under {@code dir}: partition P of topic T in {@code DIR/T-P/}, its stored offset in
     * {@code DIR/T-P.offset}, its lock in {@code DIR/T-P.lock}, records that are no event in
     * {@code DIR/T-P.rejected.jsonl}.
     */
    record Files(Path dir) implements SequencerTarget {
        public Files {
            Objects.requireNonNull(dir, "dir");
        }
    }

    /**
     * Ledgers in one PostgreSQL database, a schema per partition (made and migrated on first use), each holding the
     * partition's stored offset ({@code vigil_kafka_offset}) and rejected records ({@code vigil_kafka_rejected}).
     *
     * @param url      {@code jdbc:postgresql://HOST[:PORT]/DATABASE}
     * @param user     the user, when not in the URL
     * @param password the password, when not in the URL; never shown by {@link #toString()}
     */
    record Postgres(String url, Optional<String> user, Optional<String> password) implements SequencerTarget {
        public Postgres {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("not a PostgreSQL URL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
            }
        }

        @Override
        public String toString() {
            return "Postgres[url=" + url.replaceAll("(?i)(password=)[^&]*", "$1***") + ", user=" + user.orElse("")
                    + "]";
        }
    }
}
