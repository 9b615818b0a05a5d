package dev.lifeline.operator.aws.dns;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link DnsProvider} that passes every call to another one: a wrapper overrides only what it adds. Not
 * forwarded: {@link #at}, which stays this wrapper (the delegate's view at a priority would leave the wrapper out of
 * every later call); a wrapper over a budgeted provider overrides it.
 */
public abstract class ForwardingDnsProvider implements DnsProvider {

    protected final DnsProvider delegate;

    protected ForwardingDnsProvider(DnsProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<DnsRecord> records(String zoneId, String name) {
        return delegate.records(zoneId, name);
    }

    @Override
    public List<DnsRecord> zoneRecords(String zoneId) {
        return delegate.zoneRecords(zoneId);
    }

    @Override
    public List<HealthCheck> healthChecksWithoutTags() {
        return delegate.healthChecksWithoutTags();
    }

    @Override
    public <T> T asOneCheck(Supplier<T> check) {
        return delegate.asOneCheck(check);
    }

    @Override
    public boolean readFresh(String zoneId, Collection<String> names) {
        return delegate.readFresh(zoneId, names);
    }

    @Override
    public String change(String zoneId, List<DnsChange> changes, String comment) {
        return delegate.change(zoneId, changes, comment);
    }

    @Override
    public boolean isInSync(String changeId) {
        return delegate.isInSync(changeId);
    }

    @Override
    public Optional<HealthCheck> healthCheck(String id) {
        return delegate.healthCheck(id);
    }

    @Override
    public List<HealthCheck> healthChecksTagged(Map<String, String> tags) {
        return delegate.healthChecksTagged(tags);
    }

    @Override
    public HealthCheck createHealthCheck(String callerReference, HealthCheckSettings settings, Map<String, String> tags) {
        return delegate.createHealthCheck(callerReference, settings, tags);
    }

    @Override
    public void updateHealthCheck(String id, HealthCheckSettings settings) {
        delegate.updateHealthCheck(id, settings);
    }

    @Override
    public void deleteHealthCheck(String id) {
        delegate.deleteHealthCheck(id);
    }

    @Override
    public HealthStatus healthStatus(String id) {
        return delegate.healthStatus(id);
    }

    @Override
    public HealthStatus healthStatus(String id, Instant observedSince) {
        return delegate.healthStatus(id, observedSince);
    }
}
