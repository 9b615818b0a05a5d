package dev.lifeline.media.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.IamPolicy;
import dev.lifeline.testkit.MotoServer;
import dev.lifeline.testkit.Permission;

/**
 * deploy/iam-policy-media-server.json is what the media-server pods' IRSA role needs, no more:
 * real signaling and relay processes reach moto through the test kit's recording proxy while
 * calls join, lose their relay, move and leave; every call they made must be allowed on the
 * resource it was made on, and every action the policy grants must have been used.
 */
class MediaServerIamPolicyIT {

    @Test
    void theMediaServersPolicyGrantsExactlyWhatSignalingAndRelaysCall() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(MotoServer.shared().endpoint());
                Cluster cluster = new Cluster("ca-central-1", proxy.endpoint())) {
            Cluster.Started started = cluster.startReady(List.of("sig"), List.of("relay-a", "relay-b"));
            InstanceProcess relayA = started.relays().get(0);
            InstanceProcess relayB = started.relays().get(1);
            cluster.joinSessions(started.signaling().get(0), 4, 2);

            // A relay dies: its sessions move to the other (a fenced reassignment).
            InstanceProcess victim = cluster.allParticipants().get(0).assignment().relayId().equals(relayA.instanceId)
                    ? relayA : relayB;
            InstanceProcess survivor = victim == relayA ? relayB : relayA;
            victim.kill();
            Awaitility.await("every participant on the survivor").atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.allParticipants().stream()
                            .allMatch(p -> p.assignment().relayId().equals(survivor.instanceId)));

            // Everyone leaves: the last one out ends the session.
            for (AudioParticipant participant : cluster.allParticipants()) {
                participant.client().leave();
            }
            List<String> sessionIds = cluster.sessions.stream().map(m -> m.get(0).assignment().sessionId()).toList();
            Awaitility.await("every session ended").atMost(Duration.ofSeconds(30))
                    .until(() -> sessionIds.stream().allMatch(id -> cluster.store.find(id).isEmpty()));

            IamPolicy policy = IamPolicy.load(policyFile(), Map.of("ACCOUNT_ID", FaultProxy.ACCOUNT,
                    "TABLE_NAME", cluster.table));
            Set<Permission> used = proxy.permissionsOnResources();
            assertThat(used).as("the media server's calls, on their resources").isNotEmpty();
            assertThat(used.stream().filter(p -> !policy.allows(p)).toList())
                    .as("called by the media server but not allowed by deploy/iam-policy-media-server.json").isEmpty();
            Set<String> actionsUsed = new TreeSet<>(used.stream().map(Permission::action).toList());
            assertThat(actionsUsed).as("granted by deploy/iam-policy-media-server.json and used")
                    .isEqualTo(policy.actions());
        }
    }

    private static Path policyFile() {
        return Path.of(System.getProperty("lifeline.repo.root", "..")).resolve("deploy/iam-policy-media-server.json");
    }
}
