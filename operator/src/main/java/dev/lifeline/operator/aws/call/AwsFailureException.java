package dev.lifeline.operator.aws.call;

import dev.lifeline.operator.aws.AwsResources;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * An AWS call failed in an expected way (throttled, denied, not found, unreachable). Thrown
 * inside this package only and turned into a condition at the {@link AwsResources} boundary.
 */
public final class AwsFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient AwsProblem problem;
    private final String errorCode;

    public AwsFailureException(AwsProblem problem, Throwable cause) {
        super(problem.reason() + ": " + problem.message(), cause);
        this.problem = problem;
        this.errorCode = cause instanceof AwsServiceException e && e.awsErrorDetails() != null
                ? e.awsErrorDetails().errorCode() : null;
    }

    /** For providers that are not AWS (in-memory) but answer with AWS's error codes. */
    public AwsFailureException(AwsProblem problem, String errorCode) {
        super(problem.reason() + ": " + problem.message());
        this.problem = problem;
        this.errorCode = errorCode;
    }

    public AwsProblem problem() {
        return problem;
    }

    public AwsReason reason() {
        return problem.reason();
    }

    /** The AWS error code (for example HealthCheckAlreadyExists), when there is one. */
    public String errorCode() {
        return errorCode;
    }
}
