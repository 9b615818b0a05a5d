package dev.lifeline.operator.aws.table;

import dev.lifeline.sessiontable.TableSchema;

/** One change that brings the session table to the spec. Each is one AWS call. */
public sealed interface TableFix {

    /** Whether the fix is an UpdateTable call, which needs the table ACTIVE and sets it UPDATING. */
    default boolean updatesTable() {
        return false;
    }

    /** What the fix does, for messages and events. */
    String describe();

    record SetBilling(String billingMode, Long readCapacityUnits, Long writeCapacityUnits) implements TableFix {
        @Override
        public boolean updatesTable() {
            return true;
        }

        @Override
        public String describe() {
            return "set billing mode " + billingMode
                    + (readCapacityUnits == null ? "" : " (" + readCapacityUnits + " RCU, " + writeCapacityUnits + " WCU)");
        }
    }

    record EnableStream() implements TableFix {
        @Override
        public boolean updatesTable() {
            return true;
        }

        @Override
        public String describe() {
            return "enable stream " + TableSchema.STREAM_VIEW_TYPE;
        }
    }

    record SetDeletionProtection(boolean enabled) implements TableFix {
        @Override
        public boolean updatesTable() {
            return true;
        }

        @Override
        public String describe() {
            return (enabled ? "enable" : "disable") + " deletion protection";
        }
    }

    record EnableTtl() implements TableFix {
        @Override
        public String describe() {
            return "enable TTL on " + TableSchema.TTL_ATTRIBUTE;
        }
    }

    record SetPointInTimeRecovery(boolean enabled) implements TableFix {
        @Override
        public String describe() {
            return (enabled ? "enable" : "disable") + " point-in-time recovery";
        }
    }
}
