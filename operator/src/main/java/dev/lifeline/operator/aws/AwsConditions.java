package dev.lifeline.operator.aws;

import dev.lifeline.operator.aws.call.AwsOutcome;
import dev.lifeline.operator.aws.call.AwsReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Builds the conditions of an {@link AwsReport}. Pure. */
public final class AwsConditions {

    private AwsConditions() {
    }

    /** True only when Ready; Pending and failures are False with their reason. */
    public static Condition readiness(String type, AwsOutcome outcome, Long generation) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(outcome.isReady() ? "True" : "False")
                .withReason(outcome.reason().name())
                .withMessage(outcome.message())
                .withObservedGeneration(generation)
                .build();
    }

    public static Condition degraded(AwsOutcome sessionStore, AwsOutcome dns, Long generation) {
        AwsOutcome failing = sessionStore.isFailure() ? sessionStore : dns.isFailure() ? dns : null;
        if (failing == null) {
            return new ConditionBuilder().withType(AwsReport.DEGRADED).withStatus("False")
                    .withReason(AwsReason.Ready.name()).withMessage("AWS resources answer as expected")
                    .withObservedGeneration(generation).build();
        }
        String message = (sessionStore.isFailure() ? "session table: " + sessionStore.message() : "")
                + (sessionStore.isFailure() && dns.isFailure() ? "; " : "")
                + (dns.isFailure() ? "DNS: " + dns.message() : "");
        return new ConditionBuilder().withType(AwsReport.DEGRADED).withStatus("True")
                .withReason(failing.reason().name()).withMessage(message)
                .withObservedGeneration(generation).build();
    }
}
