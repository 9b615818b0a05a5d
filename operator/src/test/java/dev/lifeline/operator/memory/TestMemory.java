package dev.lifeline.operator.memory;

import java.time.Clock;
import java.time.Duration;

import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.dns.InMemoryDnsProvider;
import dev.lifeline.operator.aws.table.InMemoryTableProvider;
import io.micrometer.core.instrument.MeterRegistry;

/** A PlatformMemory for unit tests: the AWS side it forgets runs in memory. */
public final class TestMemory {

    private TestMemory() {
    }

    public static PlatformMemory with(MeterRegistry meters) {
        return new PlatformMemory(meters, new AwsResources(new InMemoryTableProvider(), new InMemoryDnsProvider(),
                Duration.ofSeconds(60), Duration.ofSeconds(5), Clock.systemUTC()));
    }
}
