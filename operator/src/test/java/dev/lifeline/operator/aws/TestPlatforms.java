package dev.lifeline.operator.aws;

import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.api.SessionStoreSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** RealtimePlatforms for tests of the AWS side. */
public final class TestPlatforms {

    public static final String ZONE = "Z0123456789ABCDEFGHIJ";

    private TestPlatforms() {
    }

    /** A platform in us-east-1 (home), eu-west-1 and ap-south-1, each region with an explicit endpoint. */
    public static RealtimePlatform threeRegions() {
        return platform("rtc", "meet", List.of("us-east-1", "eu-west-1", "ap-south-1"));
    }

    public static RealtimePlatform platform(String namespace, String name, List<String> regions) {
        RealtimePlatform platform = new RealtimePlatform();
        platform.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withGeneration(1L)
                .withUid(namespace + "-" + name + "-uid").build());
        RealtimePlatformSpec spec = new RealtimePlatformSpec();
        spec.regions = new ArrayList<>();
        int octet = 10;
        for (String region : regions) {
            RegionSpec r = new RegionSpec(region, 100);
            r.endpoint = "192.0.2." + octet++;
            spec.regions.add(r);
        }
        spec.sessionStore = new SessionStoreSpec();
        spec.sessionStore.tableName = name + "-sessions";
        spec.sessionStore.homeRegion = regions.get(0);
        spec.dns = new DnsSpec();
        spec.dns.hostedZoneId = ZONE;
        spec.dns.recordName = name + ".example.com";
        platform.setSpec(spec);
        return platform;
    }

    public static RegionSpec region(RealtimePlatform platform, String name) {
        return platform.getSpec().regions.stream().filter(r -> r.name.equals(name)).findFirst().orElseThrow();
    }
}
