package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * In-process forecast of active sessions: Holt's linear (double exponential) smoothing over irregularly spaced
 * samples, with the trend kept per second. Seasonal Holt-Winters would need a full season (a day) of history kept
 * across restarts; level + trend is what a scale-ahead horizon of a few minutes needs.
 *
 * <p>Immutable; {@link #update} returns the next state. The trend is used only once three samples were seen, so a
 * single jump between the first two samples does not project a runaway slope. The trend is damped (Gardner and
 * McKenzie's damped trend, in continuous time): it is believed for about {@link #TREND_TIME_CONSTANT} ahead, so a
 * step in sessions, which looks like a slope for a few samples, cannot project far beyond what was seen.
 *
 * @param level smoothed sessions at {@link #at}
 * @param trend smoothed change in sessions per second
 * @param at time of the latest sample
 * @param samples samples seen (saturating)
 */
public record HoltForecast(double level, double trend, Instant at, int samples) {

    /** Weight of the newest sample in the level. */
    public static final double ALPHA = 0.5;
    /** Weight of the newest slope in the trend. */
    public static final double BETA = 0.3;
    /** How far ahead a trend keeps adding: the forecast adds at most trend × this many seconds. */
    public static final Duration TREND_TIME_CONSTANT = Duration.ofSeconds(60);

    public static HoltForecast start(Instant at, double sessions) {
        return new HoltForecast(clean(sessions), 0, at, 1);
    }

    public HoltForecast update(Instant t, double sessions) {
        double y = clean(sessions);
        if (!t.isAfter(at)) {
            return this;
        }
        double dt = Duration.between(at, t).toMillis() / 1000.0;
        if (samples <= 1) {
            return new HoltForecast(y, (y - level) / dt, t, 2);
        }
        double predicted = level + trend * dt;
        double newLevel = ALPHA * y + (1 - ALPHA) * predicted;
        double newTrend = BETA * (newLevel - level) / dt + (1 - BETA) * trend;
        if (!Double.isFinite(newLevel) || !Double.isFinite(newTrend)) {
            return start(t, y);
        }
        return new HoltForecast(newLevel, newTrend, t, Math.min(samples + 1, 1_000_000));
    }

    /** Forecast sessions {@code horizon} after the latest sample; never negative. */
    public double forecast(Duration horizon) {
        double h = horizon.toMillis() / 1000.0;
        double tau = TREND_TIME_CONSTANT.toSeconds();
        double f = samples >= 3 ? level + trend * tau * (1 - Math.exp(-h / tau)) : level;
        return Double.isFinite(f) ? Math.max(0, f) : Math.max(0, level);
    }

    private static double clean(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }
}
