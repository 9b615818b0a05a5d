package dev.lifeline.operator.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

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
    /** Held only until the informer cache shows a newer version of the platform (PlatformMemory#currentStatus). */
    final AtomicReference<WrittenStatus> written = new AtomicReference<>();
    volatile DrillStatus drill;
    /** The latest value of each of this platform's gauges, read at each scrape (PlatformGauges). */
    final Map<PlatformGauge, Long> gauges = new ConcurrentHashMap<>();
}
