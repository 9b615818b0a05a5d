package dev.lifeline.operator.aws.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.sessiontable.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Carrying out ReplicaPlan's steps against a model of DynamoDB (a replica change takes a few
 * passes to settle) always converges, never has two changes in flight, and never deletes a
 * replica unless deletionPolicy Delete.
 */
class ReplicaPlanPropertyTest {

    private static final List<String> ALL = List.of("us-east-1", "eu-west-1", "ap-south-1", "sa-east-1", "ca-central-1");

    @Property(tries = 300)
    void convergesOneChangeAtATimeAndKeepsDataUnlessDeleteIsAsked(@ForAll("regionSets") List<String> spec,
            @ForAll("regionSets") List<String> existing, @ForAll boolean deleteRemoved) {
        String home = "us-east-1";
        List<String> wanted = new ArrayList<>(spec);
        wanted.remove(home);
        wanted.add(0, home);
        Map<String, String> replicas = new LinkedHashMap<>();
        existing.stream().filter(r -> !r.equals(home)).forEach(r -> replicas.put(r, "ACTIVE"));
        Map<String, Integer> settling = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();

        for (int pass = 0; pass < 100; pass++) {
            // DynamoDB side: a change settles after two passes.
            for (String region : new ArrayList<>(settling.keySet())) {
                if (settling.merge(region, -1, Integer::sum) == 0) {
                    settling.remove(region);
                    if ("DELETING".equals(replicas.get(region))) {
                        replicas.remove(region);
                    } else {
                        replicas.put(region, "ACTIVE");
                    }
                }
            }
            assertThat(settling).hasSizeLessThanOrEqualTo(1);
            TableState table = new TableState("t", "arn", home, "ACTIVE", DesiredTable.KEY, DesiredTable.PAY_PER_REQUEST,
                    null, null, TableSchema.STREAM_VIEW_TYPE, null, "DISABLED", false, false, replicas);
            ReplicaStep step = ReplicaPlan.next(wanted, table, deleteRemoved);
            if (step instanceof ReplicaStep.Create create) {
                assertThat(replicas).doesNotContainKey(create.region());
                replicas.put(create.region(), "CREATING");
                settling.put(create.region(), 2);
            } else if (step instanceof ReplicaStep.Delete delete) {
                assertThat(deleteRemoved).isTrue();
                assertThat(wanted).doesNotContain(delete.region());
                replicas.put(delete.region(), "DELETING");
                settling.put(delete.region(), 2);
                deleted.add(delete.region());
            } else if (step instanceof ReplicaStep.InSync) {
                List<String> expected = new ArrayList<>(wanted);
                expected.remove(home);
                assertThat(replicas.keySet()).containsAll(expected);
                if (deleteRemoved) {
                    assertThat(replicas.keySet()).containsExactlyInAnyOrderElementsOf(expected);
                }
                assertThat(replicas.values()).allMatch("ACTIVE"::equals);
                return;
            }
        }
        throw new AssertionError("did not converge: " + replicas);
    }

    @Provide
    Arbitrary<List<String>> regionSets() {
        return Arbitraries.of(ALL).list().uniqueElements().ofMinSize(1).ofMaxSize(ALL.size());
    }
}
