package dev.lifeline.operator.api;

/** Regular expressions used in the CRD schema, kept in one place so that tests can reuse them. */
public final class Patterns {
    /** AWS region names: us-east-1, eu-west-1, ap-southeast-2, us-gov-west-1. */
    public static final String AWS_REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";
    /** A DNS host name (lower case, optional trailing dot) or an IPv4 address. */
    public static final String DNS_TARGET = "^((([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}\\.?)|(([0-9]{1,3}\\.){3}[0-9]{1,3}))$";
    /** A DNS record name, optionally a wildcard. */
    public static final String DNS_NAME = "^(\\*\\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}\\.?$";
    /** A container image reference: [registry[:port]/]path[:tag][@sha256:digest]. */
    public static final String IMAGE = "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
            + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";
    /** DynamoDB table names: 3 to 255 of [a-zA-Z0-9_.-]. */
    public static final String TABLE_NAME = "^[a-zA-Z0-9_.-]{3,255}$";
    /** Route 53 hosted zone ids (upper-case letters and digits), optionally prefixed with /hostedzone/. */
    public static final String HOSTED_ZONE_ID = "^(/hostedzone/)?[A-Z0-9]{1,32}$";
    /** An absolute HTTP path without whitespace. */
    public static final String HTTP_PATH = "^/[^\\s]*$";
    /** A Kubernetes resource quantity, such as 500m, 2 or 1Gi. */
    public static final String QUANTITY = "^([+]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    private Patterns() {
    }
}
