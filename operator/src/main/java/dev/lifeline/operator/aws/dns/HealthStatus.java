package dev.lifeline.operator.aws.dns;

/** What Route 53's checkers last reported for a health check. */
public enum HealthStatus { HEALTHY, UNHEALTHY, UNKNOWN }
