package dev.lifeline.operator.aws.call;

/** The result of one pass over one AWS resource kind: a condition reason and message. */
public record AwsOutcome(AwsReason reason, String message) {

    public static AwsOutcome ready(String message) {
        return new AwsOutcome(AwsReason.Ready, message);
    }

    public static AwsOutcome pending(String message) {
        return new AwsOutcome(AwsReason.Pending, message);
    }

    public static AwsOutcome of(AwsProblem problem) {
        return new AwsOutcome(problem.reason(), problem.message());
    }

    public boolean isReady() {
        return reason == AwsReason.Ready;
    }

    public boolean isPending() {
        return reason == AwsReason.Pending;
    }

    public boolean isPostponed() {
        return reason == AwsReason.Postponed;
    }

    /** A failure that should be retried with backoff (as opposed to Ready, Pending or Postponed). */
    public boolean isFailure() {
        return !isReady() && !isPending() && !isPostponed();
    }
}
