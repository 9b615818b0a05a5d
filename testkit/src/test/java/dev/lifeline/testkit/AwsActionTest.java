package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsActionTest {

    @Test
    void namesDynamoDbActionsFromTheTargetHeader() {
        assertThat(AwsAction.of("POST", "/", "DynamoDB_20120810.UpdateTable")).map(AwsAction::iamName)
                .hasValue("dynamodb:UpdateTable");
    }

    @Test
    void namesRoute53ActionsFromMethodAndPath() {
        assertThat(name("POST", "/2013-04-01/hostedzone/Z123/rrset/")).isEqualTo("route53:ChangeResourceRecordSets");
        assertThat(name("GET", "/2013-04-01/hostedzone/Z123/rrset?name=a.example.com"))
                .isEqualTo("route53:ListResourceRecordSets");
        assertThat(name("GET", "/2013-04-01/change/C42")).isEqualTo("route53:GetChange");
        assertThat(name("POST", "/2013-04-01/healthcheck")).isEqualTo("route53:CreateHealthCheck");
        assertThat(name("GET", "/2013-04-01/healthcheck?maxitems=100")).isEqualTo("route53:ListHealthChecks");
        assertThat(name("GET", "/2013-04-01/healthcheck/abc")).isEqualTo("route53:GetHealthCheck");
        assertThat(name("GET", "/2013-04-01/healthcheck/abc/status")).isEqualTo("route53:GetHealthCheckStatus");
        assertThat(name("POST", "/2013-04-01/healthcheck/abc")).isEqualTo("route53:UpdateHealthCheck");
        assertThat(name("DELETE", "/2013-04-01/healthcheck/abc")).isEqualTo("route53:DeleteHealthCheck");
        assertThat(name("POST", "/2013-04-01/tags/healthcheck/abc")).isEqualTo("route53:ChangeTagsForResource");
        assertThat(name("GET", "/2013-04-01/tags/healthcheck/abc")).isEqualTo("route53:ListTagsForResource");
        assertThat(name("POST", "/2013-04-01/tags/healthcheck")).isEqualTo("route53:ListTagsForResources");
        assertThat(name("GET", "/2013-04-01/hostedzone/Z123")).isEqualTo("route53:GetHostedZone");
    }

    @Test
    void dynamoDbPermissionsAreOnTheTableOfTheSigningRegion() {
        String authorization = "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, "
                + "SignedHeaders=host, Signature=abc";
        String region = AwsAction.signingRegion(authorization);

        assertThat(region).isEqualTo("eu-west-1");
        assertThat(AwsAction.permissions("dynamodb:DescribeTable", "/", "{\"TableName\": \"meet-sessions\"}", region,
                "123456789012")).containsExactly(new Permission("dynamodb:DescribeTable",
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/meet-sessions"));
    }

    @Test
    void addingAReplicaNeedsItsPermissionsOnBothRegionsTablesAndTheReplicationRole() {
        String body = "{\"TableName\":\"meet-sessions\",\"ReplicaUpdates\":[{\"Create\":{\"RegionName\":\"ap-southeast-2\"}}]}";

        var needed = AwsAction.permissions("dynamodb:UpdateTable", "/", body, "us-east-1", "123456789012");

        assertThat(needed).contains(
                new Permission("dynamodb:UpdateTable", "arn:aws:dynamodb:us-east-1:123456789012:table/meet-sessions"),
                new Permission("dynamodb:CreateTableReplica", "arn:aws:dynamodb:us-east-1:123456789012:table/meet-sessions"),
                new Permission("dynamodb:CreateTableReplica",
                        "arn:aws:dynamodb:ap-southeast-2:123456789012:table/meet-sessions"),
                new Permission("iam:CreateServiceLinkedRole", "arn:aws:iam::123456789012:role/aws-service-role/"
                        + "replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication"));
    }

    @Test
    void route53PermissionsAreOnTheZoneChangeOrHealthCheckOfThePath() {
        assertThat(AwsAction.permissions("route53:ChangeResourceRecordSets", "/2013-04-01/hostedzone/Z123/rrset/", "",
                "us-east-1", "1")).containsExactly(new Permission("route53:ChangeResourceRecordSets",
                        "arn:aws:route53:::hostedzone/Z123"));
        assertThat(AwsAction.permissions("route53:GetChange", "/2013-04-01/change/C9", "", "us-east-1", "1"))
                .containsExactly(new Permission("route53:GetChange", "arn:aws:route53:::change/C9"));
        assertThat(AwsAction.permissions("route53:GetHealthCheckStatus", "/2013-04-01/healthcheck/h-1/status", "",
                "us-east-1", "1")).containsExactly(new Permission("route53:GetHealthCheckStatus",
                        "arn:aws:route53:::healthcheck/h-1"));
        assertThat(AwsAction.permissions("route53:ChangeTagsForResource", "/2013-04-01/tags/healthcheck/h-1", "",
                "us-east-1", "1")).containsExactly(new Permission("route53:ChangeTagsForResource",
                        "arn:aws:route53:::healthcheck/h-1"));
        assertThat(AwsAction.permissions("route53:CreateHealthCheck", "/2013-04-01/healthcheck", "", "us-east-1", "1"))
                .containsExactly(new Permission("route53:CreateHealthCheck", "*"));
    }

    @Test
    void unknownRequestsHaveNoAction() {
        assertThat(AwsAction.of("GET", "/moto-api/data.json", null)).isEmpty();
        assertThat(AwsAction.of("PATCH", "/2013-04-01/healthcheck/abc", null)).isEmpty();
    }

    private static String name(String method, String path) {
        return AwsAction.of(method, path, null).orElseThrow().iamName();
    }
}
