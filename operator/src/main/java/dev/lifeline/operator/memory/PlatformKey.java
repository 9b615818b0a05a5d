package dev.lifeline.operator.memory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;

/** A platform as this operator names it in memory, logs and metric tags: its namespace and name. */
public record PlatformKey(String namespace, String name) {

    public static PlatformKey of(HasMetadata platform) {
        return new PlatformKey(platform.getMetadata().getNamespace(), platform.getMetadata().getName());
    }

    /** The tags of every meter about this platform, so that forgetting the platform finds them all. */
    public Tags tags() {
        return Tags.of("namespace", namespace, "platform", name);
    }

    boolean tags(Meter.Id meter) {
        return namespace.equals(meter.getTag("namespace")) && name.equals(meter.getTag("platform"));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
