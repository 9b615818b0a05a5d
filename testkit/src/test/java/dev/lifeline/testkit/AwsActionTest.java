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
    void unknownRequestsHaveNoAction() {
        assertThat(AwsAction.of("GET", "/moto-api/data.json", null)).isEmpty();
        assertThat(AwsAction.of("PATCH", "/2013-04-01/healthcheck/abc", null)).isEmpty();
    }

    private static String name(String method, String path) {
        return AwsAction.of(method, path, null).orElseThrow().iamName();
    }
}
