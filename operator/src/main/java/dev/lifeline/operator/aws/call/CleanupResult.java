package dev.lifeline.operator.aws.call;

/** One step of removing AWS resources when a RealtimePlatform is deleted. */
public record CleanupResult(boolean done, AwsOutcome outcome) {

    public static CleanupResult done(String message) {
        return new CleanupResult(true, AwsOutcome.ready(message));
    }

    public static CleanupResult pending(String message) {
        return new CleanupResult(false, AwsOutcome.pending(message));
    }
}
