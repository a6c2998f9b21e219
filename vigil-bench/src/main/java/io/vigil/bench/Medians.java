package io.vigil.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** The median the harnesses report of their rounds. */
final class Medians {
    private Medians() {
    }

    /** The median of {@code values}, the mean of the middle two for an even count; NaN for none. */
    static double of(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median of {@code measure} over the runs that {@code which} keeps. */
    static <R> double of(List<R> runs, Predicate<R> which, ToDoubleFunction<R> measure) {
        return of(runs.stream().filter(which).mapToDouble(measure).toArray());
    }
}
