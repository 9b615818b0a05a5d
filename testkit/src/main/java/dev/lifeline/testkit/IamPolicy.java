package dev.lifeline.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An IAM policy of deploy/ (the operator's {@code iam-policy.json}, the media server's
 * {@code iam-policy-media-server.json}), read the way IAM evaluates Allow statements for one account: its
 * placeholders (ACCOUNT_ID, TABLE_NAME, HOSTED_ZONE_ID) filled in, an action matched exactly (the policies
 * name actions without wildcards), a resource matched against the statement's ARNs with IAM's
 * {@code *} and {@code ?} wildcards. Conditions are not evaluated (the only one narrows
 * iam:CreateServiceLinkedRole to DynamoDB's replication service, which is what the operator asks for).
 * Compare it with what a {@link FaultProxy} recorded ({@link FaultProxy#permissionsOnResources()}).
 */
public final class IamPolicy {

    /** Actions of one Allow statement and its resource patterns. */
    record Statement(Set<String> actions, List<String> resources) {

        boolean allows(Permission permission) {
            return actions.contains(permission.action())
                    && resources.stream().anyMatch(r -> wildcard(r).matcher(permission.resource()).matches());
        }
    }

    private final List<Statement> statements;

    private IamPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    public static IamPolicy load(Path file, Map<String, String> placeholders) throws IOException {
        String text = Files.readString(file);
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            text = text.replace(placeholder.getKey(), placeholder.getValue());
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode statement : new ObjectMapper().readTree(text).get("Statement")) {
            if (!"Allow".equals(statement.get("Effect").asText())) {
                throw new IllegalArgumentException("only Allow statements are expected: " + statement);
            }
            statements.add(new Statement(new TreeSet<>(strings(statement.get("Action"))),
                    strings(statement.get("Resource"))));
        }
        return new IamPolicy(statements);
    }

    public boolean allows(Permission permission) {
        return statements.stream().anyMatch(s -> s.allows(permission));
    }

    /** Every action the policy grants. */
    public Set<String> actions() {
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> actions.addAll(s.actions()));
        return actions;
    }

    /** Actions granted on every resource ("*"). */
    public Set<String> actionsOnAnyResource() {
        Set<String> actions = new TreeSet<>();
        statements.stream().filter(s -> s.resources().contains(Permission.ANY)).forEach(s -> actions.addAll(s.actions()));
        return actions;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static Pattern wildcard(String arn) {
        StringBuilder regex = new StringBuilder();
        for (char c : arn.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
