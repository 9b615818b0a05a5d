package dev.lifeline.media.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.lifeline.media.session.InstanceDirectory;
import dev.lifeline.sessiontable.InstanceHeartbeat;

/**
 * The media heartbeats of all configured regions, re-read at most every {@code refreshMillis}: a
 * join burst must not turn into a query per join, and heartbeats change only every second anyway.
 */
public final class RelayDirectory {

    private final InstanceDirectory directory;
    private final List<String> regions;
    private final long refreshMillis;
    private final LongSupplier clock;
    private volatile List<InstanceHeartbeat> cached = List.of();
    private volatile long readAtMillis = Long.MIN_VALUE / 2;

    public RelayDirectory(InstanceDirectory directory, List<String> regions, long refreshMillis, LongSupplier clock) {
        this.directory = directory;
        this.regions = List.copyOf(regions);
        this.refreshMillis = refreshMillis;
        this.clock = clock;
    }

    public List<InstanceHeartbeat> relays() {
        long now = clock.getAsLong();
        if (now - readAtMillis >= refreshMillis) {
            synchronized (this) {
                if (now - readAtMillis >= refreshMillis) {
                    List<InstanceHeartbeat> all = new ArrayList<>();
                    for (String region : regions) {
                        all.addAll(directory.list(region, InstanceHeartbeat.MEDIA));
                    }
                    cached = all;
                    readAtMillis = now;
                }
            }
        }
        return cached;
    }

}
