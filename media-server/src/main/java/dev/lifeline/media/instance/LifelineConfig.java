package dev.lifeline.media.instance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the media-server image; environment variables map as LIFELINE_..., see the README. */
@ConfigMapping(prefix = "lifeline")
public interface LifelineConfig {

    /** {@code media} (UDP relay) or {@code signaling} (WebSocket). */
    @WithDefault("media")
    String role();

    /** Unique per instance; defaults to the host name (the pod name in Kubernetes). */
    Optional<String> instanceId();

    @WithDefault("us-east-1")
    String region();

    /** Regions whose relays signaling may assign, own region first in preference. Defaults to the own region. */
    Optional<List<String>> regions();

    @WithDefault("lifeline-sessions")
    String sessionTable();

    /** Override of the DynamoDB endpoint (an emulator in tests); the AWS default when empty. */
    Optional<String> dynamodbEndpoint();

    /** Shared HMAC secret for join, resume and media tokens (at least 16 bytes). */
    String tokenSecret();

    Heartbeat heartbeat();

    Media media();

    Signaling signaling();

    Drain drain();

    interface Heartbeat {
        @WithDefault("1s")
        Duration interval();

        /** A heartbeat older than this means the instance is gone. */
        @WithDefault("3s")
        Duration staleAfter();
    }

    interface Media {
        @WithDefault("40000")
        int udpPort();

        @WithDefault("0.0.0.0")
        String bindHost();

        /** Host written into heartbeats for clients to send media to (the pod IP in Kubernetes). */
        @WithDefault("127.0.0.1")
        String advertisedHost();

        /** Event-loop threads, one SO_REUSEPORT socket each; 0 means one per core. */
        @WithDefault("0")
        int threads();

        /** Sessions this relay accepts; at capacity it reports not ready and gets no new sessions. */
        @WithDefault("500")
        int capacity();

        @WithDefault("6")
        int maxParticipantsPerSession();

        /** A binding that sent nothing (not even a keepalive) for this long is removed. */
        @WithDefault("15s")
        Duration idleTimeout();

        /** Event-loop lag above this marks the instance overloaded (not ready); JIT and GC pauses stay below it. */
        @WithDefault("250")
        long overloadLagMillis();
    }

    interface Signaling {
        /** host:port clients use for this instance's WebSocket, written into its heartbeat. */
        Optional<String> advertisedAddress();

        /** Connected participants this instance takes before reporting overloaded. */
        @WithDefault("5000")
        int capacity();

        @WithDefault("86400")
        long resumeTokenSeconds();

        @WithDefault("3600")
        long mediaTokenSeconds();

        /**
         * The signaling endpoints of the platform's serving regions, {@code region=ws://host:port/signal} each
         * (the operator sets them from the spec): the join and resume replies list them, own region first, so
         * that a client resumes in another region directly when this one stops answering.
         */
        Optional<List<String>> endpoints();

        /**
         * How long after handing out an assignment this instance re-reads the session to see whether another
         * region's concurrent takeover won when the global table settled; longer than replication takes.
         */
        @WithDefault("30s")
        Duration settleWindow();
    }

    interface Drain {
        /** The process exits when empty or at this deadline, whichever comes first. */
        @WithDefault("60s")
        Duration deadline();
    }
}
