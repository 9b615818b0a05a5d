package dev.lifeline.test;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.lifeline.test.harness.OperatorProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Records every change of the holder of an operator's leader-election Lease: who led from when, when a leader
 * released the Lease ({@code ""}) and when a standby took it, by the Lease's own {@code acquireTime} (written by the
 * replica that took or released it, on this machine's clock) and by when the watch delivered the change.
 */
final class LeaseRecorder implements AutoCloseable {

    /**
     * The Lease's {@code holderIdentity} ({@code ""} when released); {@code acquired}: its {@code acquireTime} (for a
     * release, when it was released); {@code seenAt}: when the watch delivered it.
     */
    record Holder(String identity, Instant acquired, Instant seenAt) {
    }

    private final List<Holder> holders = new CopyOnWriteArrayList<>();
    private final Watch watch;

    private LeaseRecorder(KubernetesClient client) {
        this.watch = client.leases().inNamespace(OperatorProcess.OPERATOR_NAMESPACE)
                .withName(OperatorProcess.LEASE_NAME).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Lease lease) {
                        String holder = lease.getSpec() == null ? ""
                                : Objects.requireNonNullElse(lease.getSpec().getHolderIdentity(), "");
                        if (holders.isEmpty() || !holders.get(holders.size() - 1).identity().equals(holder)) {
                            Instant seen = Instant.now();
                            Instant acquired = lease.getSpec() == null || lease.getSpec().getAcquireTime() == null
                                    ? seen : lease.getSpec().getAcquireTime().toInstant();
                            holders.add(new Holder(holder, acquired, seen));
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // closed with the recorder
                    }
                });
    }

    /** Watches the Lease of the operator running against {@code client}'s control plane. */
    static LeaseRecorder start(KubernetesClient client) {
        return new LeaseRecorder(client);
    }

    /** The current holder as last seen, "" when released, empty before the first event. */
    Optional<String> holder() {
        return holders.isEmpty() ? Optional.empty() : Optional.of(holders.get(holders.size() - 1).identity());
    }

    /** The first time at or after {@code since} that {@code identity} took the Lease ("": released it). */
    Optional<Holder> taken(String identity, Instant since) {
        return holders.stream().filter(h -> h.identity().equals(identity) && !h.seenAt().isBefore(since))
                .findFirst();
    }

    /** Every holder seen at or after {@code since}, in order. */
    List<Holder> since(Instant since) {
        return holders.stream().filter(h -> !h.seenAt().isBefore(since)).toList();
    }

    @Override
    public void close() {
        watch.close();
    }
}
