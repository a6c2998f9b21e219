package io.vigil.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one JSON document into plain Java values: {@code Map<String, Object>}, {@code List<Object>}, String,
 * Boolean, a number, and {@code null} for JSON null. Strict: exactly one value, no duplicate member names, numbers
 * within IEEE 754 double range. Jackson's streaming parser does the lexing (and the nesting limit).
 */
final class JsonTreeReader {
    /** How numbers come out. */
    enum Numbers {
        /** Every number as a Double, as RFC 8785 (I-JSON) reads them; objects as TreeMaps in canonical order. */
        DOUBLES,
        /** Integers as Long (BigInteger when too big), other numbers as Double; objects keep document order. */
        INTEGERS_EXACT
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final int MAX_SNIPPET = 40;

    /**
     * Where the members of a document's root object go instead of a map, so that a reader of one known shape (an
     * event) keeps them in its own slots and skips building and then searching a map.
     */
    interface RootMembers {
        /** Whether a member of this name was read already: a duplicate is refused before its value is read. */
        boolean has(String name);

        /** A member of the root object, in document order; {@code value} is null for JSON null. */
        void put(String name, Object value);
    }

    private JsonTreeReader() {
    }

    static Object read(String json, Numbers numbers) {
        return read(json, numbers, null);
    }

    /**
     * Reads the document as {@link #read(String, Numbers)} does, except that when its root is an object, the root's
     * members go to {@code root} (nested objects are still maps), and {@code root} itself is returned.
     */
    static Object read(String json, Numbers numbers, RootMembers root) {
        return read(() -> FACTORY.createParser(json), numbers, root);
    }

    /**
     * Reads UTF-8 input. It is decoded strictly first because Jackson's own decoder lets through overlong forms,
     * UTF-8-encoded surrogates and CESU-8 pairs, which would give differently encoded inputs the same canonical form.
     */
    static Object read(byte[] utf8, Numbers numbers) {
        return read(utf8, 0, utf8.length, numbers, null);
    }

    /**
     * As {@link #read(String, Numbers, RootMembers)}, from UTF-8. Input that is all ASCII, where no decoding
     * question arises, goes to Jackson's byte parser as it is: decoding it to a string first would cost as much as
     * parsing it.
     */
    static Object read(byte[] utf8, int offset, int length, Numbers numbers, RootMembers root) {
        if (!isAscii(utf8, offset, length)) {
            return read(decodeUtf8(utf8, offset, length), numbers, root);
        }
        return read(() -> FACTORY.createParser(utf8, offset, length), numbers, root);
    }

    /** A Jackson parser over one input, opened by {@link #read(ParserSource, Numbers, RootMembers)}. */
    private interface ParserSource {
        JsonParser open() throws IOException;
    }

    private static Object read(ParserSource source, Numbers numbers, RootMembers root) {
        try (JsonParser p = source.open()) {
            return readDocument(p, numbers, root);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new CanonicalJsonException("cannot read JSON: " + e.getMessage(), e);
        }
    }

    /**
     * ASCII without NUL: Jackson guesses UTF-16 or UTF-32 from NUL bytes at the start, a string never. Eight bytes a
     * step: a byte loop costs a tenth of the whole parse.
     */
    private static boolean isAscii(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long v = (long) LONGS.get(bytes, i);
            // a high bit set (not ASCII), or a zero byte (the classic "has zero byte" test)
            if ((v & HIGH_BITS) != 0 || ((v - LOW_BITS) & ~v & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (bytes[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8(byte[] utf8, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8, offset, length);
        CharBuffer out = CharBuffer.allocate(length); // UTF-8 never decodes to more UTF-16 units than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CanonicalJsonException("invalid UTF-8 at byte offset " + (in.position() - offset) + ": a"
                    + " malformed sequence of " + result.length() + " byte(s); JSON text must be UTF-8 (RFC 8259 §8.1)");
        }
        return out.flip().toString();
    }

    private static Object readDocument(JsonParser p, Numbers numbers, RootMembers root) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new CanonicalJsonException("no JSON value: the input is empty");
        }
        Object value;
        if (root != null && first == JsonToken.START_OBJECT) {
            for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                String name = p.currentName();
                if (root.has(name)) {
                    throw duplicate(p, name);
                }
                root.put(name, readValue(p, p.nextToken(), numbers));
            }
            value = root;
        } else {
            value = readValue(p, first, numbers);
        }
        if (p.nextToken() != null) {
            JsonLocation at = p.currentTokenLocation();
            throw new CanonicalJsonException("more than one JSON value: unexpected content after the first value at line "
                    + at.getLineNr() + ", column " + at.getColumnNr());
        }
        return value;
    }

    private static Object readValue(JsonParser p, JsonToken t, Numbers numbers) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = numbers == Numbers.DOUBLES ? new TreeMap<>() : new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    if (map.containsKey(name)) {
                        throw duplicate(p, name);
                    }
                    map.put(name, readValue(p, p.nextToken(), numbers));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    list.add(readValue(p, n, numbers));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                if (numbers == Numbers.INTEGERS_EXACT) {
                    JsonParser.NumberType type = p.getNumberType();
                    if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                        return p.getLongValue();
                    }
                    BigInteger big = p.getBigIntegerValue();
                    if (Double.isInfinite(big.doubleValue())) {
                        throw outOfRange(p);
                    }
                    return big;
                }
                return toDouble(p);
            }
            case VALUE_NUMBER_FLOAT -> {
                return toDouble(p);
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new CanonicalJsonException("unexpected JSON token " + t + " at "
                    + p.getParsingContext().pathAsPointer());
        }
    }

    private static CanonicalJsonException duplicate(JsonParser p, String name) {
        return new CanonicalJsonException("duplicate member name " + quote(name) + " at "
                + p.getParsingContext().pathAsPointer() + " (line " + p.currentTokenLocation().getLineNr()
                + "); member names must be unique");
    }

    /** Reads the number's own text: Double.parseDouble rounds correctly, as RFC 8785 requires. */
    private static Double toDouble(JsonParser p) throws IOException {
        double d = Double.parseDouble(p.getText());
        if (Double.isInfinite(d)) {
            throw outOfRange(p);
        }
        return d;
    }

    private static CanonicalJsonException outOfRange(JsonParser p) throws IOException {
        return new CanonicalJsonException("number " + snippet(p.getText()) + " at " + p.getParsingContext().pathAsPointer()
                + " is outside the range of an IEEE 754 double; RFC 8785 (I-JSON) allows no larger magnitude");
    }

    private static CanonicalJsonException invalid(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new CanonicalJsonException("invalid JSON" + where + ": " + e.getOriginalMessage(), e);
    }

    private static String snippet(String s) {
        return s.length() <= MAX_SNIPPET ? s : s.substring(0, MAX_SNIPPET) + "...";
    }

    private static String quote(String s) {
        return "'" + snippet(s) + "'";
    }
}
