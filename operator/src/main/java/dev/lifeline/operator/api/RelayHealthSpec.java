package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Thresholds on what the media relays report in their instance heartbeats (packet loss, event-loop lag): loss is a
 * failure, lag is load. A relay that lags is busy, not broken.
 */
public class RelayHealthSpec {

    @Default("5")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Packet loss in percent (a relay heartbeat's lossRatio x 100) above which a media relay is "
            + "lossy (1 to 100). While more than half of the region's reporting relays are lossy, the media-server's "
            + "breaker sample is bad: sustained loss opens the breaker (failureRateThreshold over "
            + "slidingWindowSeconds), a blip does not.")
    public int lossPercentThreshold = 5;

    @Default("100")
    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Event-loop lag in milliseconds above which a media relay is overloaded (1 to 10000). An "
            + "overloaded relay is busy, not broken: never restarted, never a bad breaker sample.")
    public int eventLoopLagMillisThreshold = 100;

    @Default("30")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds more than half of the region's reporting relays must stay overloaded before the "
            + "media-server gets one replica more than pre-scaling gives it (1 to 3600); at most one such replica "
            + "per this many seconds.")
    public int overloadSeconds = 30;
}
