package dev.lifeline.testkit;

import java.time.Instant;

/**
 * One request the {@link FaultProxy} saw.
 *
 * @param at     when the proxy received it, before choosing its fault (not when it answered)
 * @param action the AWS action as IAM names it ({@code route53:GetChange}), or the raw
 *               {@code METHOD path} when the proxy does not know the route
 * @param impliedPermissions further IAM permissions AWS checks for this call (for example
 *               {@code dynamodb:CreateTableReplica} for an UpdateTable that adds a replica)
 * @param permissions every IAM permission the call needs, with the resource ARN it is checked on
 * @param fault  the fault injected into it, or null when it was forwarded untouched
 * @param status the HTTP status returned to the client, or -1 when the connection was dropped
 */
public record RecordedCall(Instant at, AwsService service, String action, java.util.List<String> impliedPermissions,
        java.util.List<Permission> permissions, String method, String path, String fault, int status) {

    public RecordedCall {
        impliedPermissions = java.util.List.copyOf(impliedPermissions);
        permissions = java.util.List.copyOf(permissions);
    }

    public boolean faulted() {
        return fault != null && !fault.startsWith("latency");
    }
}
