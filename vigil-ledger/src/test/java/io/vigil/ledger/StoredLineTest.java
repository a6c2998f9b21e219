package io.vigil.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StoredLine} against the published vectors: every stored line recomputes to the hash the vectors give. */
class StoredLineTest {

    private static JsonNode vectors() throws Exception {
        return new ObjectMapper().readTree(LedgerVectorsTest.FILE.toFile());
    }

    @Test
    void everyVectorLineRecomputesToItsHash() throws Exception {
        int lines = 0;
        for (JsonNode e : vectors().get("entries")) {
            StoredLine line = StoredLine.parse(e.get("line").asText());
            assertThat(line.seq()).isEqualTo(e.get("seq").asLong());
            assertThat(line.hash()).isEqualTo(e.get("hash").asText());
            assertThat(line.recomputedHash()).isEqualTo(Hash.fromHex(e.get("hash").asText()));
            lines++;
        }
        assertThat(lines).isEqualTo(7);
    }

    @Test
    void anEditedLineKeepsItsStoredHashButRecomputesToAnother() throws Exception {
        JsonNode first = vectors().get("entries").get(0);
        String edited = first.get("line").asText().replace("\"alice\"", "\"mallory\"");
        StoredLine line = StoredLine.parse(edited);
        assertThat(line.hash()).isEqualTo(first.get("hash").asText());
        assertThat(line.recomputedHash().hex()).isNotEqualTo(line.hash());
    }

    @Test
    void aMalformedLineIsRefusedSayingWhy() throws Exception {
        String line = vectors().get("entries").get(0).get("line").asText();
        assertThatThrownBy(() -> StoredLine.parse(line.substring(0, 20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("torn write");
        String withoutHash = line.replaceFirst("\"hash\":\"[0-9a-f]{64}\",", "");
        assertThatThrownBy(() -> StoredLine.parse(withoutHash)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no hash");
    }
}
