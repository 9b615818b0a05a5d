package dev.lifeline.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/crd-reference.md is generated from the committed CRD (crds/, itself kept equal to the Java
 * model by {@link CrdDriftTest}), so the reference never goes stale: every field with its type,
 * default, limits and description, and the validation rules with their messages. To regenerate:
 * {@code ./mvnw -pl operator test -Dtest=CrdReferenceTest -Dlifeline.crd-reference.update=true}.
 */
class CrdReferenceTest {

    @Test
    void committedReferenceMatchesTheCommittedCrd() throws IOException {
        String generated = render(new YAMLMapper().readTree(CrdDriftTest.committedCrd().toFile()));
        Path committed = Path.of("..", "docs", "crd-reference.md").toAbsolutePath().normalize();

        if (Boolean.getBoolean("lifeline.crd-reference.update")) {
            Files.writeString(committed, generated);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
                .as("docs/crd-reference.md differs from crds/%s; regenerate it with "
                        + "-Dlifeline.crd-reference.update=true and commit it", CrdDriftTest.CRD_FILE)
                .isEqualTo(generated);
    }

    @Test
    void everyFieldOfTheSpecIsInTheReference() throws IOException {
        JsonNode crd = new YAMLMapper().readTree(CrdDriftTest.committedCrd().toFile());
        String reference = render(crd);
        List<String> paths = new ArrayList<>();
        collectPaths(version(crd).at("/schema/openAPIV3Schema/properties/spec"), "spec", paths);

        assertThat(paths).hasSizeGreaterThan(40).allSatisfy(p -> assertThat(reference).contains("| `" + p + "` |"));
    }

    static JsonNode version(JsonNode crd) {
        return crd.at("/spec/versions/0");
    }

    static String render(JsonNode crd) {
        JsonNode version = version(crd);
        String group = crd.at("/spec/group").asText();
        String kind = crd.at("/spec/names/kind").asText();
        StringBuilder md = new StringBuilder();
        md.append("# `").append(kind).append("` reference (`").append(group).append('/')
                .append(version.get("name").asText()).append("`)\n\n");
        md.append("Generated from `crds/").append(CrdDriftTest.CRD_FILE).append("` by `CrdReferenceTest` ")
                .append("(operator module); do not edit by hand.\n");
        md.append("Short names: ");
        crd.at("/spec/names/shortNames").forEach(n -> md.append('`').append(n.asText()).append("` "));
        md.append("· scope: ").append(crd.at("/spec/scope").asText()).append(".\n");
        JsonNode root = version.at("/schema/openAPIV3Schema/properties");
        for (String part : List.of("spec", "status")) {
            md.append("\n## ").append(part).append("\n\n");
            if (root.has(part) && root.get(part).has("description")) {
                md.append(oneLine(root.get(part).get("description").asText())).append("\n\n");
            }
            md.append("| field | type | default | limits | description |\n|---|---|---|---|---|\n");
            List<String[]> rules = new ArrayList<>();
            rows(root.get(part), part, md, rules);
            if (!rules.isEmpty()) {
                md.append("\nValidation rules (CEL, checked by the API server):\n\n| on | rule | message |\n|---|---|---|\n");
                rules.forEach(r -> md.append("| `").append(r[0]).append("` | `").append(escape(r[1])).append("` | ")
                        .append(escape(r[2])).append(" |\n"));
            }
        }
        return md.toString();
    }

    private static void rows(JsonNode schema, String path, StringBuilder md, List<String[]> rules) {
        if (schema == null) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            rules.add(new String[] { path, rule.path("rule").asText(), oneLine(rule.path("message").asText()) });
        }
        JsonNode properties = schema.has("items") ? schema.get("items").path("properties") : schema.path("properties");
        if (schema.has("items")) {
            for (JsonNode rule : schema.get("items").path("x-kubernetes-validations")) {
                rules.add(new String[] { path + "[]", rule.path("rule").asText(), oneLine(rule.path("message").asText()) });
            }
        }
        String prefix = schema.has("items") ? path + "[]" : path;
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode f = field.getValue();
            String fieldPath = prefix + "." + field.getKey();
            String type = f.path("type").asText("object");
            if (f.has("items")) {
                type = type + " of " + f.get("items").path("type").asText("object");
            }
            if (isRequired(schema, field.getKey())) {
                type = type + ", required";
            }
            md.append("| `").append(fieldPath).append("` | ").append(type).append(" | ")
                    .append(f.has("default") && !f.get("default").isContainerNode() ? "`" + f.get("default").asText() + "`" : "")
                    .append(" | ").append(escape(limits(f))).append(" | ")
                    .append(escape(oneLine(f.path("description").asText()))).append(" |\n");
            rows(f, fieldPath, md, rules);
        }
    }

    private static boolean isRequired(JsonNode schema, String name) {
        JsonNode owner = schema.has("items") ? schema.get("items") : schema;
        for (JsonNode required : owner.path("required")) {
            if (name.equals(required.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String limits(JsonNode f) {
        List<String> limits = new ArrayList<>();
        if (f.has("enum")) {
            List<String> values = new ArrayList<>();
            f.get("enum").forEach(v -> values.add(v.asText()));
            limits.add("one of " + String.join(", ", values));
        }
        for (String key : List.of("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")) {
            if (f.has(key)) {
                limits.add(key + " " + f.get(key).asText().replaceAll("\\.0$", ""));
            }
        }
        if (f.has("pattern")) {
            limits.add("pattern `" + f.get("pattern").asText() + "`");
        }
        return String.join("; ", limits);
    }

    private static void collectPaths(JsonNode schema, String path, List<String> paths) {
        JsonNode properties = schema.has("items") ? schema.get("items").path("properties") : schema.path("properties");
        String prefix = schema.has("items") ? path + "[]" : path;
        properties.fields().forEachRemaining(e -> {
            paths.add(prefix + "." + e.getKey());
            collectPaths(e.getValue(), prefix + "." + e.getKey(), paths);
        });
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
