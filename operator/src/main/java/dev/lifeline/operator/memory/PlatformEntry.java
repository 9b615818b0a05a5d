package dev.lifeline.operator.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.Observations;

/** What {@link PlatformMemory} holds for one platform. Fields are volatile: the REST API reads them. */
final class PlatformEntry {

    /** The latest self-healing step: the decisions (with the engine's next state) and what they came from. */
    record LastStep(Decisions decisions, Observations observations) {
    }

    /** A status this operator wrote, and the resourceVersion of the platform it was built from. */
    record WrittenStatus(String basedOnResourceVersion, RealtimePlatformStatus status) {
    }

    volatile LastStep lastStep;
    volatile WrittenStatus written;
    volatile DrillStatus drill;
    /** The values behind this platform's gauges, by meter name and tags. */
    final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
}
