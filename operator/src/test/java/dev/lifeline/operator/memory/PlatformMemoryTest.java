package dev.lifeline.operator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

class PlatformMemoryTest {

    private final PlatformMemory memory = new PlatformMemory();

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
    }

    private static RealtimePlatform platform(String resourceVersion, RealtimePlatformStatus status) {
        RealtimePlatform platform = new RealtimePlatform();
        platform.setMetadata(new ObjectMetaBuilder().withNamespace("rtc").withName("meet")
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
