package dev.lifeline.operator.aws.dns;

/**
 * An HTTP health check against a region's signaling endpoint.
 *
 * @param ipAddress set when the endpoint is an IPv4 address
 * @param fqdn      set when the endpoint is a host name
 * @param inverted  true while the region is drained under Latency or Failover routing, where there
 *                  is no weight to set to 0: Route 53 then treats the region as unhealthy
 */
public record HealthCheckSettings(String ipAddress, String fqdn, int port, String path, int intervalSeconds,
        int failureThreshold, boolean inverted) {

    /**
     * Route 53 cannot change a health check's request interval, nor remove its IP address; a new
     * health check replaces the old one then.
     */
    public boolean needsReplacementToBecome(HealthCheckSettings desired) {
        return intervalSeconds != desired.intervalSeconds || (ipAddress == null) != (desired.ipAddress == null);
    }
}
