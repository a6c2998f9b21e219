package io.vigil.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The immutable map behind {@link AuditEvent#details()}: two arrays, keys sorted by {@link String#compareTo} (UTF-16
 * code units, the order RFC 8785 wants). Hand-written because events sit in the pipeline's queue by the tens of
 * thousands: a hash map costs three times the memory the garbage collector then has to copy, and a sorted map lets
 * the JSON writer skip sorting.
 */
final class SortedArrayMap extends AbstractMap<String, Object> implements SortedMap<String, Object> {
    private final String[] keys;
    private final Object[] values;

    private SortedArrayMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** A map of the given (key, value) pairs, keys distinct, in any order. The arrays are taken over. */
    static SortedArrayMap of(String[] keys, Object[] values, int size) {
        String[] k = size == keys.length ? keys : Arrays.copyOf(keys, size);
        Object[] v = size == values.length ? values : Arrays.copyOf(values, size);
        // insertion sort: details are small, and this keeps k and v in step without an index array
        for (int i = 1; i < size; i++) {
            String key = k[i];
            Object val = v[i];
            int j = i - 1;
            while (j >= 0 && k[j].compareTo(key) > 0) {
                k[j + 1] = k[j];
                v[j + 1] = v[j];
                j--;
            }
            k[j + 1] = key;
            v[j + 1] = val;
        }
        return new SortedArrayMap(k, v);
    }

    private int indexOf(Object key) {
        return key instanceof String s ? Arrays.binarySearch(keys, s) : -1;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? values[i] : null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>(keys[next], values[next]);
                        next++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    @Override
    public Comparator<? super String> comparator() {
        return null; // natural String order
    }

    private SortedMap<String, Object> asTreeMap() {
        return new TreeMap<>(this);
    }

    @Override
    public SortedMap<String, Object> subMap(String fromKey, String toKey) {
        return Collections.unmodifiableSortedMap(asTreeMap().subMap(fromKey, toKey));
    }

    @Override
    public SortedMap<String, Object> headMap(String toKey) {
        return Collections.unmodifiableSortedMap(asTreeMap().headMap(toKey));
    }

    @Override
    public SortedMap<String, Object> tailMap(String fromKey) {
        return Collections.unmodifiableSortedMap(asTreeMap().tailMap(fromKey));
    }

    @Override
    public String firstKey() {
        if (keys.length == 0) {
            throw new NoSuchElementException();
        }
        return keys[0];
    }

    @Override
    public String lastKey() {
        if (keys.length == 0) {
            throw new NoSuchElementException();
        }
        return keys[keys.length - 1];
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException("event details are immutable");
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("event details are immutable");
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException("event details are immutable");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("event details are immutable");
    }
}
