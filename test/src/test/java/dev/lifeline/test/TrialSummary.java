package dev.lifeline.test;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/**
 * The table the benchmarks print under their trials: one line per measure with its p50, p99, max, how many trials
 * have it and how many miss it, in milliseconds. A trial whose measure is empty or negative did not reach it.
 */
final class TrialSummary {

    private static final String COLUMNS = "%-12s %8s %8s %8s %8s  %s%n";

    private TrialSummary() {
    }

    static void header(StringBuilder out) {
        out.append(String.format(Locale.ROOT, COLUMNS, "measure", "p50 ms", "p99 ms", "max ms", "trials", "missing"));
    }

    static <T> void line(StringBuilder out, String name, List<T> trials, Function<T, Optional<Long>> measure) {
        Histogram h = histogram(trials, measure);
        out.append(String.format(Locale.ROOT, COLUMNS, name, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getMaxValue(), h.getTotalCount(), trials.size() - h.getTotalCount()));
    }

    static <T> Histogram histogram(List<T> trials, Function<T, Optional<Long>> measure) {
        Histogram h = new Histogram(3_600_000L, 3);
        trials.forEach(t -> measure.apply(t).filter(v -> v >= 0).ifPresent(h::recordValue));
        return h;
    }
}
