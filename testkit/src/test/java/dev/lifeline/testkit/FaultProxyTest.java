package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/** The proxy between real AWS SDK clients and real moto: forwarding, faults, recording. */
class FaultProxyTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static MotoServer moto;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        proxy = FaultProxy.start(moto.endpoint());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        moto.stop();
    }

    @BeforeEach
    void clean() {
        proxy.clearFaults();
        proxy.clearCalls();
        moto.reset();
    }

    @Test
    void forwardsUntouchedAndRecordsIamActionNames() {
        try (DynamoDbClient dynamo = dynamo(RetryMode.STANDARD); Route53Client route53 = route53(RetryMode.STANDARD)) {
            assertThat(dynamo.listTables().tableNames()).isEmpty();
            route53.createHostedZone(b -> b.name("example.com").callerReference("z"));
            assertThat(route53.listHostedZones().hostedZones()).hasSize(1);
        }
        assertThat(proxy.actions()).containsExactly("dynamodb:ListTables", "route53:CreateHostedZone",
                "route53:ListHostedZones");
        assertThat(proxy.calls()).allSatisfy(call -> assertThat(call.faulted()).isFalse());
    }

    @Test
    void dynamoDbThrottlingIsSeenByTheSdkAsThrottlingAndRetriedUntilItEnds() {
        proxy.inject(Fault.dynamoDbThrottling().times(2));
        try (DynamoDbClient dynamo = dynamo(RetryMode.STANDARD)) {
            assertThat(dynamo.listTables().tableNames()).isEmpty();
        }
        // Two throttled attempts plus the one that got through.
        assertThat(proxy.count("dynamodb:ListTables")).isEqualTo(3);

        proxy.inject(Fault.dynamoDbThrottling().onAction("dynamodb:ListTables"));
        try (DynamoDbClient dynamo = dynamo(null)) {
            assertThatThrownBy(dynamo::listTables).isInstanceOfSatisfying(DynamoDbException.class, e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            });
        }
    }

    @Test
    void route53ThrottlingAndPriorRequestNotCompleteCarryRoute53ErrorCodes() {
        try (Route53Client route53 = route53(null)) {
            proxy.inject(Fault.route53Throttling().times(1));
            assertThatThrownBy(route53::listHealthChecks).isInstanceOfSatisfying(Route53Exception.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.isThrottlingException()).isTrue();
            });
            proxy.inject(Fault.route53PriorRequestNotComplete().onAction("route53:ListHealthChecks").times(1));
            assertThatThrownBy(route53::listHealthChecks).isInstanceOfSatisfying(Route53Exception.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PriorRequestNotComplete"));
            assertThat(route53.listHealthChecks().healthChecks()).isEmpty();
        }
        assertThat(proxy.calls()).extracting(RecordedCall::faulted).containsExactly(true, true, false);
    }

    @Test
    void serverErrorsAndDroppedConnectionsReachTheClient() {
        try (DynamoDbClient dynamo = dynamo(null)) {
            proxy.inject(Fault.serverError(503).times(1));
            assertThatThrownBy(dynamo::listTables).isInstanceOfSatisfying(DynamoDbException.class,
                    e -> assertThat(e.statusCode()).isEqualTo(503));
            proxy.inject(Fault.dropConnection().times(1));
            assertThatThrownBy(dynamo::listTables).isInstanceOf(SdkClientException.class);
            assertThat(dynamo.listTables().tableNames()).isEmpty();
        }
        assertThat(proxy.calls()).extracting(RecordedCall::status).containsExactly(503, -1, 200);
    }

    @Test
    void droppedResponseStillCarriesTheRequestOut() {
        proxy.inject(Fault.dropResponse().onAction("route53:CreateHostedZone").times(1));
        try (Route53Client route53 = route53(null)) {
            assertThatThrownBy(() -> route53.createHostedZone(b -> b.name("example.com").callerReference("z")))
                    .isInstanceOf(SdkClientException.class);
            assertThat(route53.listHostedZones().hostedZones()).hasSize(1);
        }
    }

    @Test
    void addingAReplicaNeedsTheReplicaPermissionsToo() {
        moto.reset();
        try (DynamoDbClient dynamo = dynamo(RetryMode.STANDARD)) {
            dynamo.createTable(b -> b.tableName("t")
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .billingMode("PAY_PER_REQUEST")
                    .streamSpecification(st -> st.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
            dynamo.updateTable(b -> b.tableName("t").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1"))));
        }
        assertThat(proxy.actions()).containsExactly("dynamodb:CreateTable", "dynamodb:UpdateTable");
        assertThat(proxy.permissionsNeeded()).contains("dynamodb:CreateTableReplica", "iam:CreateServiceLinkedRole")
                .doesNotContain("dynamodb:DeleteTableReplica");
    }

    @Test
    void latencyDelaysBeyondTheClientsAttemptTimeout() {
        proxy.inject(Fault.latency(Duration.ofSeconds(3)).onService(AwsService.DYNAMODB).times(1));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallAttemptTimeout(Duration.ofMillis(300)))
                .build()) {
            assertThatThrownBy(dynamo::listTables).isInstanceOf(ApiCallAttemptTimeoutException.class);
        }
    }

    @Test
    void anUnreliableNetworkLosesSomeCallsAndForwardsTheOthers() {
        proxy.inject(Fault.unreliable(Duration.ofMillis(200), 0.25).onService(AwsService.DYNAMODB));
        try (DynamoDbClient dynamo = dynamo(null)) {
            for (int i = 0; i < 40; i++) {
                try {
                    dynamo.listTables();
                } catch (SdkClientException e) {
                    // lost: expected now and then
                }
            }
        }
        // The JDK's HTTP client may resend a POST whose connection closed unanswered, so count at the proxy:
        // at 25 % loss over 40 or more requests, P(none lost) and P(all lost) are both below 1e-4.
        // (A previous test's delayed call may be recorded late: only this fault's calls are counted.)
        var calls = proxy.calls().stream().filter(c -> "jitter 0-200ms, loss 25.0% on DYNAMODB".equals(c.fault()))
                .toList();
        long lost = calls.stream().filter(c -> c.status() < 0).count();
        assertThat(calls.size()).isGreaterThanOrEqualTo(40);
        assertThat(lost).isBetween(1L, (long) calls.size() - 1);
        assertThat(calls).filteredOn(c -> c.status() >= 0).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
    }

    private static DynamoDbClient dynamo(RetryMode mode) {
        return DynamoDbClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> retries(o, mode))
                .build();
    }

    private static Route53Client route53(RetryMode mode) {
        return Route53Client.builder().endpointOverride(proxy.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> retries(o, mode))
                .build();
    }

    /** No retries when {@code mode} is null, so a test sees each injected fault exactly once. */
    private static void retries(ClientOverrideConfiguration.Builder o, RetryMode mode) {
        if (mode == null) {
            o.retryStrategy(b -> b.maxAttempts(1));
        } else {
            o.retryStrategy(mode);
        }
    }
}
