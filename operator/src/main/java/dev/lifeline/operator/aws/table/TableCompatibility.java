package dev.lifeline.operator.aws.table;

import dev.lifeline.sessiontable.TableSchema;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether an existing table can be adopted as the session table. Pure. An incompatible table is
 * reported and left alone: fixing it would need recreating it, which would destroy data.
 */
public final class TableCompatibility {

    private TableCompatibility() {
    }

    /** Why the table cannot be adopted, or empty when it can. */
    public static Optional<String> problem(TableState table) {
        if (!DesiredTable.KEY.equals(table.key())) {
            return Optional.of("table " + table.name() + " in " + table.region() + " has key schema "
                    + describe(table) + " but Lifeline needs pk (S, HASH) + sk (S, RANGE); the table was left "
                    + "unchanged: point spec.sessionStore.tableName at a new table or migrate the data");
        }
        if (table.streamEnabled() && !TableSchema.STREAM_VIEW_TYPE.equals(table.streamViewType())) {
            return Optional.of("table " + table.name() + " in " + table.region() + " streams "
                    + table.streamViewType() + " but global tables need " + TableSchema.STREAM_VIEW_TYPE
                    + "; the stream was left unchanged (switching view type means disabling the stream first)");
        }
        if (table.ttlOn() && table.ttlAttribute() != null
                && !TableSchema.TTL_ATTRIBUTE.equals(table.ttlAttribute())) {
            return Optional.of("table " + table.name() + " in " + table.region() + " has TTL on attribute "
                    + table.ttlAttribute() + " but Lifeline's items expire through "
                    + TableSchema.TTL_ATTRIBUTE + "; TTL was left unchanged");
        }
        return Optional.empty();
    }

    private static String describe(TableState table) {
        return table.key().stream()
                .map(k -> k.name() + " (" + k.attributeType() + ", " + k.keyType() + ")")
                .collect(Collectors.joining(" + "));
    }
}
