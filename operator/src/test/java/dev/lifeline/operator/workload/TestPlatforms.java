package dev.lifeline.operator.workload;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;

/** Platforms for builder tests, as the API server would return them (defaults applied). */
public final class TestPlatforms {

    private TestPlatforms() {
    }

    public static RealtimePlatform platform(String name, String... regions) {
        RealtimePlatform platform = new RealtimePlatform();
        platform.getMetadata().setName(name);
        platform.getMetadata().setNamespace("rtc");
        platform.getMetadata().setUid("uid-" + name);
        platform.getMetadata().setGeneration(1L);
        RealtimePlatformSpec spec = new RealtimePlatformSpec();
        for (String region : regions) {
            spec.regions.add(new RegionSpec(region, 100));
        }
        spec.sessionStore.tableName = name + "-sessions";
        spec.sessionStore.homeRegion = regions[0];
        spec.dns.hostedZoneId = "Z0123456789ABCDEFGHIJ";
        spec.dns.recordName = "media.example.com";
        platform.setSpec(spec);
        return platform;
    }
}
