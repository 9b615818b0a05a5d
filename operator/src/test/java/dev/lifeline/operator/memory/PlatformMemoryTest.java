package dev.lifeline.operator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.metrics.GaugeSamples;
import dev.lifeline.operator.metrics.PlatformGauges;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class PlatformMemoryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PlatformMemory memory = TestMemory.with(meters);
    private final PlatformGauges gauges = new PlatformGauges(memory);

    @Test
    void aStaleCacheDoesNotHideTheStatusJustWritten() {
        RealtimePlatform cached = platform("7", status("Restart"));
        RealtimePlatformStatus written = status("Restart", "BreakerOpen");
        memory.statusWritten(cached, written);

        // The watch event of the write has not arrived: the cache still shows resourceVersion 7.
        assertThat(memory.currentStatus(platform("7", status("Restart")))).isSameAs(written);
        // It has (or something newer has): the cache is the truth again.
        RealtimePlatform caughtUp = platform("8", status("Restart", "BreakerOpen", "Drain"));
        assertThat(memory.currentStatus(caughtUp)).isSameAs(caughtUp.getStatus());
        assertThat(memory.currentStatus(platform("1", null))).as("another resourceVersion").isNull();
        assertThat(memory.currentStatus(platform("7", status("Restart")))).as("the copy is let go once the cache "
                + "moved on: a later read of the old version (none comes) would not get it").isNotSameAs(written);
    }

    @Test
    void aStatusWrittenAfterTheCacheMovedOnIsKept() {
        memory.statusWritten(platform("7", null), status("Restart"));
        assertThat(memory.currentStatus(platform("8", null))).as("the cache moved on").isNull();
        RealtimePlatformStatus next = status("Restart", "Drain");
        memory.statusWritten(platform("8", null), next);
        assertThat(memory.currentStatus(platform("8", null))).isSameAs(next);
    }

    @Test
    void forgetDropsEverythingOfThePlatformIncludingItsMeters() {
        RealtimePlatform meet = platform("7", null);
        RealtimePlatform other = platform("other", "7", null);
        memory.gauge(meet, "lifeline.dns.weight", Tags.of("region", "us-east-1"), 100);
        memory.gauge(meet, "lifeline.region.healthy", Tags.of("region", "eu-west-1"), 1);
        Timer.builder("lifeline.failover.detection").tags(PlatformKey.of(meet).tags().and("region", "eu-west-1"))
                .register(meters).record(Duration.ofSeconds(7));
        memory.gauge(other, "lifeline.dns.weight", Tags.of("region", "us-east-1"), 50);
        memory.statusWritten(meet, status("Restart"));
        DrillStatus drill = new DrillStatus();
        memory.rememberDrill(meet, drill);

        memory.forget(meet);

        assertThat(meters.getMeters()).as("the timers of meet are gone").isEmpty();
        assertThat(GaugeSamples.values(gauges, "lifeline_dns_weight", Map.of()))
                .as("the gauges of meet are gone, other's stay").containsExactly(50.0);
        assertThat(memory.drill(meet)).isEmpty();
        assertThat(memory.currentStatus(meet)).as("back to what the cache says").isNull();

        memory.gauge(meet, "lifeline.dns.weight", Tags.of("region", "us-east-1"), 30);
        assertThat(GaugeSamples.values(gauges, "lifeline_dns_weight", Map.of("platform", "meet")))
                .as("a platform of the same name gets its gauges back").containsExactly(30.0);
    }

    private static RealtimePlatform platform(String resourceVersion, RealtimePlatformStatus status) {
        return platform("meet", resourceVersion, status);
    }

    private static RealtimePlatform platform(String name, String resourceVersion, RealtimePlatformStatus status) {
        RealtimePlatform platform = new RealtimePlatform();
        platform.setMetadata(new ObjectMetaBuilder().withNamespace("rtc").withName(name)
                .withResourceVersion(resourceVersion).build());
        platform.setStatus(status);
        return platform;
    }

    private static RealtimePlatformStatus status(String... actions) {
        RealtimePlatformStatus status = new RealtimePlatformStatus();
        for (String action : actions) {
            HistoryEntry entry = new HistoryEntry();
            entry.action = action;
            status.history.add(entry);
        }
        return status;
    }
}
