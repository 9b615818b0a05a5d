package dev.lifeline.operator.aws.table;

import dev.lifeline.operator.aws.call.AwsFailureException;
import java.util.Optional;

/**
 * Where the session table lives: DynamoDB ({@link DynamoDbTableProvider}) or memory
 * ({@link InMemoryTableProvider}, for a local run without AWS). Expected failures are thrown as
 * {@link AwsFailureException}.
 */
public interface SessionTableProvider {

    /** The table as seen in {@code region}, or empty when it does not exist there. */
    Optional<TableState> describe(String region, String tableName);

    void create(String region, DesiredTable desired);

    void apply(String region, String tableName, TableFix fix);

    /** Asks the table in {@code region} to add a replica in {@code replicaRegion}. */
    void addReplica(String region, String tableName, String replicaRegion);

    /** Asks the table in {@code region} to delete its replica in {@code replicaRegion}. */
    void removeReplica(String region, String tableName, String replicaRegion);

    void delete(String region, String tableName);
}
