package dev.lifeline.operator.aws.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides the next replica change of the global table (version 2019.11.21). Pure.
 *
 * <p>One change at a time, and only while the table and every replica are ACTIVE: AWS rejects a
 * second replica update while one is in progress. Regions are added in spec order. A replica of a
 * region no longer in the spec is deleted only when {@code deleteRemovedRegions} (deletionPolicy
 * Delete) says so; otherwise its data stays.
 */
public final class ReplicaPlan {

    private ReplicaPlan() {
    }

    public static ReplicaStep next(List<String> specRegions, TableState table, boolean deleteRemovedRegions) {
        if (!table.isActive()) {
            return new ReplicaStep.Wait("table " + table.name() + " in " + table.region() + " is " + table.status());
        }
        for (Map.Entry<String, String> replica : table.replicas().entrySet()) {
            if (!TableState.ACTIVE.equals(replica.getValue())) {
                return new ReplicaStep.Wait("replica in " + replica.getKey() + " is " + replica.getValue());
            }
        }
        for (String region : specRegions) {
            if (!region.equals(table.region()) && !table.replicas().containsKey(region)) {
                return new ReplicaStep.Create(region);
            }
        }
        List<String> extra = new ArrayList<>(table.replicas().keySet());
        extra.removeAll(specRegions);
        extra.sort(null);
        if (!extra.isEmpty() && deleteRemovedRegions) {
            return new ReplicaStep.Delete(extra.get(0));
        }
        return new ReplicaStep.InSync(extra);
    }
}
