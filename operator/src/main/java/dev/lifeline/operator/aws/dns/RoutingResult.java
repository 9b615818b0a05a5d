package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.aws.call.AwsOutcome;

/**
 * What a DNS API call did.
 *
 * @param applied  whether the change went out
 * @param weight   the region's weight after the call (unchanged when refused)
 * @param changeId Route 53 change id when applied, else null
 */
public record RoutingResult(boolean applied, int weight, String changeId, AwsOutcome outcome) {

    public static RoutingResult refused(int weight, AwsOutcome outcome) {
        return new RoutingResult(false, weight, null, outcome);
    }
}
