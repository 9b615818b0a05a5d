package dev.lifeline.operator.aws.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fixes that bring a compatible table to the spec. Pure.
 *
 * <p>Table-wide settings (billing, stream) are the home region's to change; replica-local
 * settings (TTL, point-in-time recovery, deletion protection) each region's operator keeps on its
 * own replica, since AWS keeps them per replica.
 */
public final class TableDrift {

    private TableDrift() {
    }

    public static List<TableFix> fixes(DesiredTable desired, TableState actual, boolean homeRegion) {
        List<TableFix> fixes = new ArrayList<>();
        if (homeRegion) {
            if (!billingMatches(desired, actual)) {
                fixes.add(new TableFix.SetBilling(desired.billingMode(), desired.readCapacityUnits(),
                        desired.writeCapacityUnits()));
            }
            if (!actual.streamEnabled()) {
                fixes.add(new TableFix.EnableStream());
            }
        }
        if (!actual.ttlOn()) {
            fixes.add(new TableFix.EnableTtl());
        }
        if (actual.pointInTimeRecovery() != desired.pointInTimeRecovery()) {
            fixes.add(new TableFix.SetPointInTimeRecovery(desired.pointInTimeRecovery()));
        }
        if (actual.deletionProtection() != desired.deletionProtection()) {
            fixes.add(new TableFix.SetDeletionProtection(desired.deletionProtection()));
        }
        return fixes;
    }

    private static boolean billingMatches(DesiredTable desired, TableState actual) {
        if (!desired.billingMode().equals(actual.billingMode())) {
            return false;
        }
        return !desired.provisioned()
                || (Objects.equals(desired.readCapacityUnits(), actual.readCapacityUnits())
                        && Objects.equals(desired.writeCapacityUnits(), actual.writeCapacityUnits()));
    }
}
