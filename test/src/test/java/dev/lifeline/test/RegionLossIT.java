package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.media.load.CallLoad;
import dev.lifeline.media.load.Disruption;
import dev.lifeline.media.load.SessionTableSetup;
import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.SessionCodec;
import dev.lifeline.sessiontable.SessionRecord;
import dev.lifeline.test.harness.Teardown;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A whole region lost (issue 11, 6c) on the multi-region harness: three regions, of which us-east-1 and eu-west-1
 * run the real media server ({@link MediaRegions}). Calls join in eu-west-1 through its signaling only. Then
 * eu-west-1 is lost: its signaling and relay are SIGKILLed, its table endpoint stops answering, its operator and its
 * control plane stop. The quorum of the other two drains its Route 53 record, and every call that was in it
 * resumes in us-east-1, found through the endpoints in the join reply, none lost.
 */
class RegionLossIT {

    private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(150);
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final String LOST = "eu-west-1";
    private static final String SURVIVOR = "us-east-1";
    private static final int CALLS = 6;

    private static MediaRegions media;
    private static CallLoad calls;

    @BeforeAll
    static void startRegions() {
        media = MediaRegions.start("loss", REGIONS, List.of(SURVIVOR, LOST), platform -> {
        }, RegionSet.TEST_TUNING, SCENARIO_TIMEOUT);
    }

    @AfterAll
    static void stopRegions() {
        Teardown.closeAll(calls, media);
    }

    @Test
    void aLostRegionIsDrainedAndEveryCallInItResumesInAnotherRegion() throws Exception {
        RegionSet regions = media.regions;
        calls = CallLoad.start(List.of(media.signalingUri(LOST)), media.tokens(), CALLS, 2);
        String lostRelay = media.relayId(LOST);
        assertThat(calls.callsByRelay()).containsOnlyKeys(lostRelay);
        await("media flowing in every call").atMost(Duration.ofSeconds(30))
                .until(() -> calls.participants().stream().allMatch(p -> p.stats().received() > 10));
        assertThat(calls.participants()).allSatisfy(p -> assertThat(p.client().signalingEndpoints())
                .as("the join reply's endpoints, own region first")
                .startsWith(media.signalingUri(LOST), media.signalingUri(SURVIVOR)));

        // eu-west-1 is lost: signaling and relay killed, table endpoint dropping connections, operator and
        // control plane stopped.
        Disruption loss = calls.disruption("region-loss", lostRelay);
        media.lose(LOST);
        regions.operators.get(LOST).close();
        regions.planes.get(LOST).close();

        await("every call that was in " + LOST + " has media again").atMost(SCENARIO_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).until(loss::allBack);
        assertThat(loss.lost()).isEmpty();
        String survivorRelay = media.relayId(SURVIVOR);
        assertThat(calls.participants()).allSatisfy(p -> assertThat(p.assignment().relayId()).isEqualTo(survivorRelay));
        try (DynamoDbClient table = SessionTableSetup.emulatorClient(regions.moto.endpoint(), SURVIVOR)) {
            for (List<AudioParticipant> call : calls.calls()) {
                SessionRecord session = SessionCodec.decode(table.getItem(b -> b.tableName(MediaRegions.TABLE)
                        .key(ItemKeys.sessionKey(call.get(0).assignment().sessionId())).consistentRead(true)).item());
                assertThat(session.region()).isEqualTo(SURVIVOR);
                assertThat(session.relayId()).isEqualTo(survivorRelay);
                assertThat(session.participants()).hasSize(2);
            }
        }

        await("the quorum drains the lost region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get(LOST)));
        assertThat(regions.weights()).containsEntry(SURVIVOR, 100L).containsEntry("ap-southeast-2", 100L);
        await("the drain recorded by the quorum").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> regions.history("Drain", "Applied", SURVIVOR, "ap-southeast-2").stream()
                        .anyMatch(h -> LOST.equals(h.region)));
        // Its cause: the survivors' failure detectors suspected the lost region's operator (and its service was
        // gone), not its heartbeat turning 6 s old.
        assertThat(regions.history("Drain", "Applied", SURVIVOR, "ap-southeast-2"))
                .filteredOn(h -> LOST.equals(h.region)).first().satisfies(drain -> assertThat(drain.reason)
                        .contains("suspected by the failure detector (phi").contains("service down"));
    }
}
