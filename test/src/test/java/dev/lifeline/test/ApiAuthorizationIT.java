package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.ApiTokens;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.PlatformYaml;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.SingleRegion;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The REST API (which the status page reads) on a real API server: callers are who the API
 * server's TokenReview says (ServiceAccount tokens from the TokenRequest API) and may do what its
 * SubjectAccessReview allows on the RealtimePlatform: get to read, patch to start a drill. Each
 * case uses its own ServiceAccount, so the operator's brief answer cache cannot blur them.
 */
class ApiAuthorizationIT {

    private static final String NAMESPACE = "auth";
    private static final String PLATFORM = "/api/v1/namespaces/auth/realtimeplatforms/meet";
    private static SingleRegion region;
    private static OperatorProcess operator;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        region = SingleRegion.start("api-auth", "us-east-1");
        operator = region.operator();
        admin = region.plane().client();
        region.plane().createNamespace(NAMESPACE);
        region.plane().createNamespace("elsewhere");
        admin.resource(PlatformYaml.minimal("meet", NAMESPACE)).create();
        admin.resource(PlatformYaml.minimal("meet", "elsewhere")).create();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void withoutATokenTheAnswerIs401AndALogLine() {
        HttpResponse<String> answer = operator.request("GET", PLATFORM + "/history", null);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(operator.logText()).contains("Refused GET /api/v1/namespaces/auth/realtimeplatforms/meet/history",
                "no bearer token (401)");
        assertThat(operator.request("POST", PLATFORM + "/drill", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenTheApiServerDoesNotAcceptIs401AndNeverLogged() {
        String forged = "eyJhbGciOiJSUzI1NiJ9.forged-by-ApiAuthorizationIT.c2lnbmF0dXJl";

        assertThat(operator.request("GET", PLATFORM + "/health", forged).statusCode()).isEqualTo(401);
        assertThat(operator.logText()).contains("the API server did not accept the bearer token (401)")
                .doesNotContain("forged-by-ApiAuthorizationIT");
    }

    @Test
    void aValidTokenWithoutRbacIs403() {
        String token = ApiTokens.newServiceAccount(admin, NAMESPACE, "nobody");

        assertThat(operator.request("GET", PLATFORM + "/history", token).statusCode()).isEqualTo(403);
        assertThat(operator.request("POST", PLATFORM + "/drill", token).statusCode()).isEqualTo(403);
        assertThat(operator.logText())
                .contains("system:serviceaccount:auth:nobody may not get lifeline.dev/realtimeplatforms meet in namespace auth (403)")
                .doesNotContain(token);
    }

    @Test
    void getOnThePlatformReadsItButStartsNoDrill() {
        String token = ApiTokens.newServiceAccount(admin, NAMESPACE, "viewer");
        ApiTokens.grantOnPlatforms(admin, NAMESPACE, "viewer", "get");

        HttpResponse<String> history = operator.request("GET", PLATFORM + "/history", token);
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).startsWith("[");
        assertThat(operator.request("GET", PLATFORM + "/access", token).body())
                .contains("\"user\":\"system:serviceaccount:auth:viewer\"", "\"startDrill\":false");
        assertThat(operator.request("POST", PLATFORM + "/drill", token).statusCode()).isEqualTo(403);
        assertThat(operator.logText()).contains("viewer may not patch lifeline.dev/realtimeplatforms meet in namespace auth");
        assertThat(operator.request("GET", "/api/v1/namespaces/elsewhere/realtimeplatforms/meet/history", token)
                .statusCode()).as("the Role is only for its own namespace").isEqualTo(403);
        assertThat(Platforms.of(admin).inNamespace(NAMESPACE).withName("meet").get().getMetadata().getAnnotations())
                .as("no drill was started").doesNotContainKey("lifeline.dev/drill");
    }

    @Test
    void patchOnThePlatformStartsADrill() {
        String token = ApiTokens.newServiceAccount(admin, NAMESPACE, "drill-runner");
        ApiTokens.grantOnPlatforms(admin, NAMESPACE, "drill-runner", "get", "patch");

        assertThat(operator.request("GET", PLATFORM + "/access", token).body()).contains("\"startDrill\":true");
        HttpResponse<String> started = operator.request("POST", PLATFORM + "/drill?holdSeconds=5", token);

        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(Platforms.of(admin).inNamespace(NAMESPACE).withName("meet").get().getMetadata().getAnnotations())
                .containsKey("lifeline.dev/drill");
    }

    @Test
    void aPollingCallerCostsTheApiServerOneReviewOfEachKindPerCachePeriod() {
        String token = ApiTokens.newServiceAccount(admin, NAMESPACE, "poller");
        ApiTokens.grantOnPlatforms(admin, NAMESPACE, "poller", "get");
        long tokenReviews = apiServerRequests("tokenreviews");
        long accessReviews = apiServerRequests("subjectaccessreviews");

        for (int i = 0; i < 10; i++) {
            assertThat(operator.request("GET", PLATFORM + "/history", token).statusCode()).isEqualTo(200);
        }

        // Ten calls well within the 10 s the answers are kept: one review of each kind.
        assertThat(apiServerRequests("tokenreviews") - tokenReviews).isEqualTo(1);
        assertThat(apiServerRequests("subjectaccessreviews") - accessReviews).isEqualTo(1);
    }

    @Test
    void probesAndMetricsNeedNoToken() {
        assertThat(operator.request("GET", "/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(operator.request("GET", "/q/metrics", null).statusCode()).isEqualTo(200);
    }

    /** How many requests for this resource the API server has served, from its own metrics. */
    private static long apiServerRequests(String resource) {
        Pattern series = Pattern.compile("^apiserver_request_total\\{[^}]*resource=\"" + resource + "\"[^}]*\\} (\\S+)$");
        return admin.raw("/metrics").lines().map(series::matcher).filter(Matcher::matches)
                .mapToLong(m -> (long) Double.parseDouble(m.group(1))).sum();
    }
}
