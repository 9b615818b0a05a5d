package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HealthCheckAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** The Route 53 corrections the test kit makes to moto, so it answers as AWS does. */
class MotoRoute53FidelityTest {

    private static MotoServer moto;
    private static Route53Client route53;
    private String zoneId;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        route53 = Route53Client.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        route53.close();
        moto.stop();
    }

    @BeforeEach
    void zone() {
        moto.reset();
        zoneId = route53.createHostedZone(b -> b.name("example.com").callerReference("z")).hostedZone().id();
    }

    @Test
    void aHealthCheckOfALoopbackEndpointReallyChecksIt() throws Exception {
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        int port = endpoint.getAddress().getPort();
        String id = route53.createHealthCheck(b -> b.callerReference("probe-" + port).healthCheckConfig(
                HealthCheckConfig.builder().type(HealthCheckType.HTTP).ipAddress("127.0.0.1").port(port)
                        .resourcePath("/q/health/ready").requestInterval(10).failureThreshold(3).build()))
                .healthCheck().id();
        try {
            assertThat(status(id)).startsWith("Success");
        } finally {
            endpoint.stop(0);
        }
        assertThat(status(id)).as("nothing answers on the port any more").startsWith("Failure");
    }

    private static String status(String healthCheckId) {
        return route53.getHealthCheckStatus(b -> b.healthCheckId(healthCheckId)).healthCheckObservations().get(0)
                .statusReport().status();
    }

    @Test
    void deleteWithSetIdentifierRemovesOnlyThatRecord() {
        change(ChangeAction.CREATE, weighted("a.example.com", RRType.A, "us-east-1", "192.0.2.1"));
        change(ChangeAction.CREATE, weighted("b.example.com", RRType.TXT, "us-east-1", "\"x\""));

        change(ChangeAction.DELETE, weighted("a.example.com", RRType.A, "us-east-1", "192.0.2.1"));

        assertThat(route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets())
                .extracting(ResourceRecordSet::name).contains("b.example.com.").doesNotContain("a.example.com.");
    }

    @Test
    void createOfAnExistingRecordIsRejected() {
        change(ChangeAction.CREATE, weighted("a.example.com", RRType.A, "us-east-1", "192.0.2.1"));

        assertThatThrownBy(() -> change(ChangeAction.CREATE, weighted("a.example.com", RRType.A, "us-east-1",
                "192.0.2.2"))).isInstanceOf(InvalidChangeBatchException.class);
    }

    @Test
    void eachChangeHasItsOwnIdAndIsPendingUntilAskedAbout() {
        var first = route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(
                Change.builder().action(ChangeAction.CREATE)
                        .resourceRecordSet(weighted("a.example.com", RRType.A, "x", "192.0.2.1")).build())))
                .changeInfo();
        var second = route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(
                Change.builder().action(ChangeAction.CREATE)
                        .resourceRecordSet(weighted("b.example.com", RRType.A, "x", "192.0.2.1")).build())))
                .changeInfo();

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(first.status()).isEqualTo(ChangeStatus.PENDING);
        assertThat(route53.getChange(b -> b.id(first.id())).changeInfo().status()).isEqualTo(ChangeStatus.INSYNC);
    }

    @Test
    void callerReferenceIsIdempotentForSameSettingsAndNeverReusedOtherwise() {
        String first = createHealthCheck("ref-1", 8080);
        assertThat(createHealthCheck("ref-1", 8080)).isEqualTo(first);
        assertThatThrownBy(() -> createHealthCheck("ref-1", 9090)).isInstanceOf(HealthCheckAlreadyExistsException.class);

        route53.deleteHealthCheck(b -> b.healthCheckId(first));
        assertThatThrownBy(() -> createHealthCheck("ref-1", 8080)).isInstanceOf(HealthCheckAlreadyExistsException.class);
        assertThat(route53.listHealthChecks().healthChecks()).isEmpty();
    }

    private String createHealthCheck(String reference, int port) {
        return route53.createHealthCheck(b -> b.callerReference(reference).healthCheckConfig(HealthCheckConfig.builder()
                .type(HealthCheckType.HTTP).fullyQualifiedDomainName("a.example.com").port(port)
                .resourcePath("/q/health/ready").requestInterval(10).failureThreshold(3).build()))
                .healthCheck().id();
    }

    private void change(ChangeAction action, ResourceRecordSet record) {
        route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId)
                .changeBatch(c -> c.changes(Change.builder().action(action).resourceRecordSet(record).build())));
    }

    private static ResourceRecordSet weighted(String name, RRType type, String setIdentifier, String value) {
        return ResourceRecordSet.builder().name(name).type(type).setIdentifier(setIdentifier).weight(10L).ttl(30L)
                .resourceRecords(r -> r.value(value)).build();
    }
}
