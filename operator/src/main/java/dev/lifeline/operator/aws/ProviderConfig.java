package dev.lifeline.operator.aws;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which implementation backs DNS and the session table. */
public final class ProviderConfig {

    private ProviderConfig() {
    }

    /** {@code lifeline.dns.provider}: route53 (default) or inmemory (local run without AWS). */
    @ConfigMapping(prefix = "lifeline.dns")
    public interface Dns {
        @WithDefault("route53")
        DnsProviderKind provider();
    }

    /** {@code lifeline.session-store.provider}: dynamodb (default) or inmemory (local run without AWS). */
    @ConfigMapping(prefix = "lifeline.session-store")
    public interface SessionStore {
        @WithDefault("dynamodb")
        SessionStoreProviderKind provider();
    }

    public enum DnsProviderKind { route53, inmemory }

    public enum SessionStoreProviderKind { dynamodb, inmemory }
}
