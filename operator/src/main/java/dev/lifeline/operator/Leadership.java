package dev.lifeline.operator;

import java.net.HttpURLConnection;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.healing.SelfHealing;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * This replica's part in leader election (see {@link LeaderElection}): its identity in the Lease, and what it does
 * when leadership ends.
 * <ul>
 *   <li>It <b>loses</b> the Lease (could not renew within the renew deadline): it halts at once, without a graceful
 *       shutdown, so that it never acts beside the replica that takes over.</li>
 *   <li>It is <b>shut down</b> (SIGTERM: a rolling update, a node drain): once java-operator-sdk has stopped its
 *       controllers (their in-flight reconciles finished), it hands the Lease over by releasing it, as client-go's
 *       {@code ReleaseOnCancel} does. The standby takes it at its next try instead of waiting out the lease
 *       duration. java-operator-sdk 5.2 does not release on its own.</li>
 * </ul>
 * While another replica leads, this one warms up once: it makes the session-table reads a new leader makes first,
 * so that a takeover does not pay for the AWS SDK's first request.
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);
    /** Exit status of a replica that lost its Lease (java-operator-sdk's own). */
    static final int LOST_LEASE_STATUS = 1;
    /** Tries to release the Lease on shutdown, when a late renewal of its own conflicts. */
    static final int RELEASE_ATTEMPTS = 3;

    private final OperatorConfig config;
    private final KubernetesClient client;
    private final SelfHealing selfHealing;
    private final AtomicBoolean warmedUp = new AtomicBoolean();
    private final String identity;
    /** True while this replica holds the Lease (it stays true through shutdown until the Lease is released). */
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    public Leadership(OperatorConfig config, KubernetesClient client, SelfHealing selfHealing) {
        this.config = config;
        this.client = client;
        this.selfHealing = selfHealing;
        this.identity = config.leaderElection().identity().filter(s -> !s.isBlank())
                .orElseGet(() -> defaultIdentity(System.getenv("HOSTNAME")));
    }

    /** The pod name (HOSTNAME) and a random suffix: a restarted container is a new candidate, as in client-go. */
    static String defaultIdentity(String hostname) {
        String host = hostname == null || hostname.isBlank() ? "lifeline-operator" : hostname;
        return host + "_" + UUID.randomUUID();
    }

    public String identity() {
        return identity;
    }

    /** True once this replica's shutdown has begun: what fails from now on is being stopped, not broken. */
    public boolean shuttingDown() {
        return shuttingDown.get();
    }

    LeaderCallbacks callbacks() {
        return new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::leaderIs);
    }

    /** Another replica leads: this one is the standby, and gets ready to take over fast (once). */
    private void leaderIs(String leader) {
        if (!identity.equals(leader) && warmedUp.compareAndSet(false, true)) {
            Thread warmUp = new Thread(this::warmUp, "standby-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }

    /** The session-table reads a new leader makes first, made now (see {@link SelfHealing#warmUp}). */
    private void warmUp() {
        try {
            for (RealtimePlatform platform : client.resources(RealtimePlatform.class).inAnyNamespace().list()
                    .getItems()) {
                if (platform.getSpec() != null && platform.getSpec().regions.stream()
                        .anyMatch(r -> config.region().equals(r.name))) {
                    selfHealing.warmUp(platform, config.region());
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Standby warm-up skipped: %s", e.getMessage());
        }
    }

    private void startedLeading() {
        leading.set(true);
        LOG.infof("This replica (%s) holds the Lease %s/%s and reconciles", identity, config.operatorNamespace(),
                config.leaseName());
    }

    private void stoppedLeading() {
        if (shuttingDown.get()) {
            return; // the controllers were stopped on purpose; handOver releases the Lease
        }
        leading.set(false);
        LOG.errorf("This replica (%s) lost the Lease %s/%s (not renewed within %s): halting, so that it never acts "
                + "beside the new leader", identity, config.operatorNamespace(), config.leaseName(),
                config.leaderElection().renewDeadline());
        // halt, not exit: a graceful shutdown would first wait for in-flight reconciles, as the new leader starts.
        Runtime.getRuntime().halt(LOST_LEASE_STATUS);
    }

    /**
     * Before java-operator-sdk starts (its start-up observer has priority 3123) and before any informer could fail
     * first: inconsistent leader-election timings stop the start with the settings to change; timings slower than
     * the peers' default window are logged as a warning.
     */
    void checkTimings(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        LeaderElection.timings(config.leaderElection()).requireConsistent()
                .slowerThan(LeaderElection.defaultFailoverBudget()).ifPresent(LOG::warn);
    }

    /** First of all shutdown observers: from now on the end of leadership is a shutdown, not a lost Lease. */
    void shutdownBegins(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        shuttingDown.set(true);
    }

    /**
     * After java-operator-sdk's own shutdown observer (default priority) stopped the controllers: release the Lease
     * if this replica still holds it. A Lease changed meanwhile (a conflict) is someone else's: left alone.
     */
    void handOver(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) ShutdownEvent event) {
        if (!leading.get()) {
            return;
        }
        for (int attempt = 1; attempt <= RELEASE_ATTEMPTS; attempt++) {
            try {
                release();
                return;
            } catch (KubernetesClientException e) {
                // 409: a renewal the elector sent before it was stopped landed after our read; read again
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == RELEASE_ATTEMPTS) {
                    LOG.warnf("Could not release the Lease %s/%s on shutdown (%s): the standby takes over when it "
                            + "expires", config.operatorNamespace(), config.leaseName(), e.getMessage());
                    return;
                }
            }
        }
    }

    private void release() {
        Lease lease = client.leases().inNamespace(config.operatorNamespace()).withName(config.leaseName()).get();
        if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        // What fabric8's LeaderElector.release() and client-go write: no holder, a 1 s lease, renewed now.
        lease.getSpec().setHolderIdentity("");
        lease.getSpec().setLeaseDurationSeconds(1);
        lease.getSpec().setAcquireTime(now);
        lease.getSpec().setRenewTime(now);
        client.resource(lease).update(); // with the resourceVersion read: a Lease changed meanwhile is a conflict
        leading.set(false);
        LOG.infof("Released the Lease %s/%s on shutdown: the standby takes over at once", config.operatorNamespace(),
                config.leaseName());
    }
}
