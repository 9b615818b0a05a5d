package dev.lifeline.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the AWS action of an HTTP request the way IAM does ({@code dynamodb:DescribeTable},
 * {@code route53:ChangeResourceRecordSets}), so tests can compare what was called with an IAM
 * policy. Pure: headers and path in, name out.
 */
public record AwsAction(AwsService service, String name) {

    private static final String ROUTE53_PREFIX = "/2013-04-01/";
    private static final String ID = "[^/]+";

    /** Route 53 REST routes (method, path pattern after the version prefix, action). */
    private static final List<Route> ROUTE53_ROUTES = List.of(
            new Route("GET", "hostedzone/" + ID + "/rrset", "ListResourceRecordSets"),
            new Route("POST", "hostedzone/" + ID + "/rrset", "ChangeResourceRecordSets"),
            new Route("GET", "hostedzone/" + ID, "GetHostedZone"),
            new Route("DELETE", "hostedzone/" + ID, "DeleteHostedZone"),
            new Route("GET", "hostedzone", "ListHostedZones"),
            new Route("POST", "hostedzone", "CreateHostedZone"),
            new Route("GET", "hostedzonesbyname", "ListHostedZonesByName"),
            new Route("GET", "change/" + ID, "GetChange"),
            new Route("GET", "healthcheck/" + ID + "/status", "GetHealthCheckStatus"),
            new Route("GET", "healthcheck/" + ID, "GetHealthCheck"),
            new Route("POST", "healthcheck/" + ID, "UpdateHealthCheck"),
            new Route("DELETE", "healthcheck/" + ID, "DeleteHealthCheck"),
            new Route("GET", "healthcheck", "ListHealthChecks"),
            new Route("POST", "healthcheck", "CreateHealthCheck"),
            new Route("GET", "tags/" + ID + "/" + ID, "ListTagsForResource"),
            new Route("POST", "tags/" + ID + "/" + ID, "ChangeTagsForResource"),
            new Route("POST", "tags/" + ID, "ListTagsForResources"));

    /** The IAM action name, for example {@code dynamodb:DescribeTable}. */
    public String iamName() {
        return service.iamPrefix() + ":" + name;
    }

    @Override
    public String toString() {
        return iamName();
    }

    /**
     * The action of a request, or empty when it is not an AWS call the proxy understands.
     *
     * @param amzTarget the {@code X-Amz-Target} header, or null
     */
    public static Optional<AwsAction> of(String method, String path, String amzTarget) {
        if (amzTarget != null && amzTarget.startsWith("DynamoDB_")) {
            int dot = amzTarget.indexOf('.');
            return dot < 0 ? Optional.empty()
                    : Optional.of(new AwsAction(AwsService.DYNAMODB, amzTarget.substring(dot + 1)));
        }
        String rawPath = path.split("\\?", 2)[0];
        if (rawPath.startsWith(ROUTE53_PREFIX)) {
            String rest = stripTrailingSlash(rawPath.substring(ROUTE53_PREFIX.length()));
            String upperMethod = method.toUpperCase(Locale.ROOT);
            return ROUTE53_ROUTES.stream()
                    .filter(route -> route.method.equals(upperMethod) && route.path.matcher(rest).matches())
                    .findFirst()
                    .map(route -> new AwsAction(AwsService.ROUTE53, route.action));
        }
        return Optional.empty();
    }

    /** Which service a request is for, even when its action is unknown. */
    public static AwsService serviceOf(String path, String amzTarget) {
        if (amzTarget != null && amzTarget.startsWith("DynamoDB_")) {
            return AwsService.DYNAMODB;
        }
        return path.startsWith(ROUTE53_PREFIX) ? AwsService.ROUTE53 : AwsService.OTHER;
    }

    /**
     * IAM permissions AWS checks beyond the action itself. Adding a replica to a global table
     * (version 2019.11.21) through UpdateTable also needs {@code dynamodb:CreateTableReplica},
     * the item actions DynamoDB uses to fill the replica, and the permission to create
     * DynamoDB's replication service-linked role; deleting one needs
     * {@code dynamodb:DeleteTableReplica}. Source: the DynamoDB developer guide's IAM section on
     * global tables.
     */
    public static List<String> impliedPermissions(String iamAction, String body) {
        if (!"dynamodb:UpdateTable".equals(iamAction) || body == null || !body.contains("\"ReplicaUpdates\"")) {
            return List.of();
        }
        List<String> implied = new java.util.ArrayList<>();
        if (body.contains("\"Create\"")) {
            implied.addAll(List.of("dynamodb:CreateTableReplica", "dynamodb:Scan", "dynamodb:Query",
                    "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem",
                    "dynamodb:BatchWriteItem", "iam:CreateServiceLinkedRole"));
        }
        if (body.contains("\"Delete\"")) {
            implied.add("dynamodb:DeleteTableReplica");
        }
        return implied;
    }

    private static final Pattern TABLE_NAME = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REQUEST_ITEMS = Pattern.compile("\"RequestItems\"\\s*:\\s*\\{\\s*\"([^\"]+)\"");
    private static final Pattern REPLICA_REGION = Pattern.compile("\"RegionName\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SIGNING_REGION = Pattern.compile("Credential=[^/]+/[0-9]{8}/([^/]+)/");
    private static final Pattern ROUTE53_RESOURCE = Pattern.compile(
            "(?:tags/)?(hostedzone|healthcheck|change)/([^/]+)(?:/.*)?");
    /** The service-linked role DynamoDB creates for global-table replication. */
    static final String REPLICATION_ROLE = "role/aws-service-role/replication.dynamodb.amazonaws.com/"
            + "AWSServiceRoleForDynamoDBReplication";

    /** The AWS region a request is signed for (SigV4 credential scope), or null. */
    public static String signingRegion(String authorization) {
        if (authorization == null) {
            return null;
        }
        java.util.regex.Matcher m = SIGNING_REGION.matcher(authorization);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Every permission a request needs, each with the resource IAM authorizes it on: the action on the
     * table (DynamoDB, from the request's TableName and signing region), the hosted zone, change or
     * health check in the path (Route 53; {@link Permission#ANY} for the list and create calls, which IAM
     * cannot scope), and the {@link #impliedPermissions} on the tables of both regions of a replica
     * change, or on the replication service-linked role.
     */
    public static List<Permission> permissions(String iamAction, String path, String body, String region,
            String account) {
        List<Permission> needed = new java.util.ArrayList<>();
        String text = body == null ? "" : body;
        if (iamAction.startsWith("dynamodb:")) {
            java.util.regex.Matcher table = TABLE_NAME.matcher(text);
            java.util.regex.Matcher items = REQUEST_ITEMS.matcher(text);
            String name = table.find() ? table.group(1) : items.find() ? items.group(1) : null;
            needed.add(new Permission(iamAction, name == null ? Permission.ANY : tableArn(region, account, name)));
            for (String implied : impliedPermissions(iamAction, text)) {
                if (implied.startsWith("iam:")) {
                    needed.add(new Permission(implied, "arn:aws:iam::" + account + ":" + REPLICATION_ROLE));
                    continue;
                }
                needed.add(new Permission(implied, tableArn(region, account, name)));
                java.util.regex.Matcher replica = REPLICA_REGION.matcher(text);
                while (replica.find()) {
                    needed.add(new Permission(implied, tableArn(replica.group(1), account, name)));
                }
            }
        } else if (iamAction.startsWith("route53:")) {
            String rest = stripTrailingSlash(path.split("\\?", 2)[0]);
            rest = rest.startsWith(ROUTE53_PREFIX) ? rest.substring(ROUTE53_PREFIX.length()) : rest;
            java.util.regex.Matcher m = ROUTE53_RESOURCE.matcher(rest);
            needed.add(new Permission(iamAction,
                    m.matches() ? "arn:aws:route53:::" + m.group(1) + "/" + m.group(2) : Permission.ANY));
        } else {
            needed.add(new Permission(iamAction, Permission.ANY));
        }
        return needed;
    }

    private static String tableArn(String region, String account, String table) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private record Route(String method, Pattern path, String action) {
        Route(String method, String path, String action) {
            this(method, Pattern.compile(path), action);
        }
    }
}
