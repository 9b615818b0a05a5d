package dev.lifeline.testkit;

/**
 * One IAM permission a request needs: the action and the resource ARN AWS authorizes it on
 * ({@code *} for actions that IAM cannot scope to a resource, such as route53:CreateHealthCheck).
 */
public record Permission(String action, String resource) {

    /** IAM's wildcard for "every resource". */
    public static final String ANY = "*";
}
