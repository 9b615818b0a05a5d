package dev.lifeline.testkit;

/** The AWS services the proxy tells apart, by the shape of their wire protocol. */
public enum AwsService {
    /** JSON protocol: the action is in the {@code X-Amz-Target} header. */
    DYNAMODB("dynamodb"),
    /** REST-XML protocol under {@code /2013-04-01/}: the action follows from method and path. */
    ROUTE53("route53"),
    OTHER("other");

    private final String iamPrefix;

    AwsService(String iamPrefix) {
        this.iamPrefix = iamPrefix;
    }

    /** The service prefix IAM uses in action names, for example {@code dynamodb}. */
    public String iamPrefix() {
        return iamPrefix;
    }
}
