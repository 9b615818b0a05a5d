package dev.lifeline.operator;

import java.util.Map;
import java.util.Objects;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.drill.DrillProgress;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

/**
 * Which changes of a platform reconcile it at once: its spec (a new generation), its drill annotations (a drill is
 * started with {@code kubectl annotate}, which leaves the generation as it was), its finalizers, its deletion. Not its
 * status, which this operator writes itself. Generation-aware event processing alone would drop the annotation, and a
 * quiet platform's next step can be a minute away ({@link dev.lifeline.operator.healing.StepCadence}).
 */
public class PlatformUpdateFilter implements OnUpdateFilter<RealtimePlatform> {

    @Override
    public boolean accept(RealtimePlatform updated, RealtimePlatform previous) {
        return newGeneration(updated, previous)
                || updated.isMarkedForDeletion()
                || !Objects.equals(updated.getMetadata().getFinalizers(), previous.getMetadata().getFinalizers())
                || !drillAnnotations(updated).equals(drillAnnotations(previous));
    }

    private static boolean newGeneration(RealtimePlatform updated, RealtimePlatform previous) {
        Long now = updated.getMetadata().getGeneration();
        Long before = previous.getMetadata().getGeneration();
        return now == null || before == null || now > before;
    }

    private static Map<String, String> drillAnnotations(RealtimePlatform platform) {
        Map<String, String> annotations = platform.getMetadata().getAnnotations();
        if (annotations == null) {
            return Map.of();
        }
        String drill = annotations.get(DrillProgress.ANNOTATION);
        String hold = annotations.get(DrillProgress.HOLD_ANNOTATION);
        return drill == null && hold == null ? Map.of()
                : Map.of("drill", Objects.toString(drill), "hold", Objects.toString(hold));
    }
}
