package dev.lifeline.operator.aws.call;

import java.util.Objects;

/** An expected AWS failure, classified: the reason for a condition and a message that says what to do. */
public record AwsProblem(AwsReason reason, String message) {

    public AwsProblem {
        Objects.requireNonNull(reason);
        Objects.requireNonNull(message);
    }
}
