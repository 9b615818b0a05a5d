package dev.lifeline.operator.aws.call;

/** Why a SessionStoreReady or DnsReady condition has its status; used verbatim as the condition reason. */
public enum AwsReason {
    /** Everything is as the spec asks. */
    Ready,
    /** A change is in flight (replica CREATING, DNS change PENDING, waiting for another region or an address). */
    Pending,
    /**
     * A periodic check was not made because the client-side Route 53 request budget had no free permit; it comes
     * again soon. Not a failure: nothing was asked, nothing is known to be wrong.
     */
    Postponed,
    /** AWS throttled the calls even after the SDK's retries. */
    Throttled,
    /** The operator's IAM role may not make a call. */
    AccessDenied,
    /** A resource the spec names does not exist (hosted zone, table in a non-home region). */
    NotFound,
    /** AWS rejected the request as invalid, or the spec cannot be carried out. */
    Invalid,
    /** An existing resource cannot be adopted as it is (for example another key schema); nothing was changed. */
    Incompatible,
    /** A resource exists that this operator does not own; it is left untouched. */
    Conflict,
    /** AWS answered with server errors, timed out or could not be reached, or the circuit breaker is open. */
    Unavailable;

    /** Failures that say the endpoint is unwell (not that the request was wrong): they trip the breaker. */
    public boolean isEndpointFailure() {
        return this == Throttled || this == Unavailable;
    }
}
