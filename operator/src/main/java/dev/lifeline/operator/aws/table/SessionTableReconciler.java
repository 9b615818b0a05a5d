package dev.lifeline.operator.aws.table;

import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.SessionStoreSpec;
import dev.lifeline.operator.api.SessionStoreStatus;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsOutcome;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.operator.aws.call.CleanupResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps the session table as the spec says, from one region's point of view.
 *
 * <p>The home region's operator creates (or adopts) the table, keeps its table-wide settings and
 * adds or removes replicas, one at a time. Every operator keeps the replica-local settings (TTL,
 * point-in-time recovery, deletion protection) on its own region's replica and reports. Decisions
 * are pure ({@link TableCompatibility}, {@link TableDrift}, {@link ReplicaPlan}); this class only
 * reads, asks them, and carries out at most one table update per pass.
 */
public final class SessionTableReconciler {

    private final SessionTableProvider provider;

    public SessionTableReconciler(SessionTableProvider provider) {
        this.provider = provider;
    }

    /** The table's status as last read, plus the outcome of this pass. */
    public record Result(SessionStoreStatus status, AwsOutcome outcome) {
    }

    public Result reconcile(RealtimePlatformSpec spec, String ownRegion) {
        SessionStoreSpec store = spec.sessionStore;
        DesiredTable desired = DesiredTable.from(store);
        boolean home = ownRegion.equals(store.homeRegion);
        Optional<TableState> found;
        try {
            found = provider.describe(ownRegion, desired.name());
            if (found.isEmpty()) {
                if (!home) {
                    return new Result(null, AwsOutcome.pending("table " + desired.name() + " has no replica in "
                            + ownRegion + " yet; the operator of the home region " + store.homeRegion + " adds it"));
                }
                provider.create(ownRegion, desired);
                found = provider.describe(ownRegion, desired.name());
                if (found.isEmpty()) {
                    return new Result(null, AwsOutcome.pending("creating table " + desired.name()));
                }
            }
        } catch (AwsFailureException e) {
            return new Result(null, AwsOutcome.of(e.problem()));
        }
        TableState table = found.get();
        SessionStoreStatus status = status(table);
        try {
            return new Result(status, converge(spec, desired, table, home));
        } catch (AwsFailureException e) {
            return new Result(status, AwsOutcome.of(e.problem()));
        }
    }

    private AwsOutcome converge(RealtimePlatformSpec spec, DesiredTable desired, TableState table, boolean home) {
        Optional<String> incompatible = TableCompatibility.problem(table);
        if (incompatible.isPresent()) {
            return new AwsOutcome(AwsReason.Incompatible, incompatible.get());
        }
        if (!table.isActive()) {
            return AwsOutcome.pending("table " + table.name() + " in " + table.region() + " is " + table.status());
        }
        List<String> applied = applyFixes(desired, table, home);
        if (!applied.isEmpty()) {
            return AwsOutcome.pending("table settings changed in " + table.region() + ": " + String.join(", ", applied));
        }
        if (!home) {
            return AwsOutcome.ready("replica of " + table.name() + " in " + table.region() + " is ACTIVE; replicas are "
                    + "managed by the home region " + spec.sessionStore.homeRegion);
        }
        boolean deleteRemoved = spec.sessionStore.deletionPolicy == SessionStoreSpec.DeletionPolicy.Delete;
        ReplicaStep step = ReplicaPlan.next(regionNames(spec), table, deleteRemoved);
        if (step instanceof ReplicaStep.Create create) {
            provider.addReplica(table.region(), table.name(), create.region());
            return AwsOutcome.pending("adding replica in " + create.region());
        }
        if (step instanceof ReplicaStep.Delete delete) {
            removeReplica(table, delete.region());
            return AwsOutcome.pending("deleting replica in " + delete.region() + " (deletionPolicy Delete)");
        }
        if (step instanceof ReplicaStep.Wait wait) {
            return AwsOutcome.pending(wait.why());
        }
        List<String> retained = ((ReplicaStep.InSync) step).retained();
        return AwsOutcome.ready("table " + table.name() + " is ACTIVE with replicas in " + regionNames(spec)
                + (retained.isEmpty() ? "" : "; replicas in " + retained + " retained (deletionPolicy Retain)"));
    }

    /** Applies the drift fixes; at most one UpdateTable per pass, because it leaves the table UPDATING. */
    private List<String> applyFixes(DesiredTable desired, TableState table, boolean home) {
        List<String> applied = new ArrayList<>();
        boolean tableUpdated = false;
        for (TableFix fix : TableDrift.fixes(desired, table, home)) {
            if (fix.updatesTable()) {
                if (tableUpdated) {
                    continue;
                }
                tableUpdated = true;
            }
            provider.apply(table.region(), table.name(), fix);
            applied.add(fix.describe());
        }
        return applied;
    }

    private void removeReplica(TableState table, String region) {
        // A protected replica cannot be deleted; the spec asked for Delete explicitly, so lift it first.
        provider.describe(region, table.name())
                .filter(TableState::deletionProtection)
                .ifPresent(replica -> provider.apply(region, table.name(), new TableFix.SetDeletionProtection(false)));
        provider.removeReplica(table.region(), table.name(), region);
    }

    /**
     * One step of deleting the table when the resource is deleted. Retain (the default) keeps the
     * table and its data; Delete removes the replicas one at a time, then the table, from the home
     * region only.
     *
     * @return done when nothing is left to do
     */
    public CleanupResult cleanup(RealtimePlatformSpec spec, String ownRegion) {
        SessionStoreSpec store = spec.sessionStore;
        if (store.deletionPolicy != SessionStoreSpec.DeletionPolicy.Delete) {
            return CleanupResult.done("table " + store.tableName + " retained (deletionPolicy Retain)");
        }
        if (!ownRegion.equals(store.homeRegion)) {
            return CleanupResult.done("table " + store.tableName + " is deleted by the home region " + store.homeRegion);
        }
        try {
            Optional<TableState> found = provider.describe(ownRegion, store.tableName);
            if (found.isEmpty()) {
                return CleanupResult.done("table " + store.tableName + " deleted");
            }
            TableState table = found.get();
            ReplicaStep step = ReplicaPlan.next(List.of(ownRegion), table, true);
            if (step instanceof ReplicaStep.Wait wait) {
                return CleanupResult.pending(wait.why());
            }
            if (step instanceof ReplicaStep.Delete delete) {
                removeReplica(table, delete.region());
                return CleanupResult.pending("deleting replica in " + delete.region());
            }
            if (table.deletionProtection()) {
                provider.apply(ownRegion, table.name(), new TableFix.SetDeletionProtection(false));
                return CleanupResult.pending("lifting deletion protection of " + table.name());
            }
            provider.delete(ownRegion, table.name());
            return CleanupResult.pending("deleting table " + table.name());
        } catch (AwsFailureException e) {
            return new CleanupResult(false, AwsOutcome.of(e.problem()));
        }
    }

    static SessionStoreStatus status(TableState table) {
        SessionStoreStatus status = new SessionStoreStatus();
        status.tableArn = table.arn();
        status.tableStatus = table.status();
        Map<String, String> all = new TreeMap<>(table.replicas());
        all.put(table.region(), table.status());
        all.forEach((region, replicaStatus) -> {
            SessionStoreStatus.ReplicaStatus replica = new SessionStoreStatus.ReplicaStatus();
            replica.region = region;
            replica.status = replicaStatus;
            status.replicas.add(replica);
        });
        return status;
    }

    private static List<String> regionNames(RealtimePlatformSpec spec) {
        return spec.regions.stream().map(r -> r.name).toList();
    }
}
