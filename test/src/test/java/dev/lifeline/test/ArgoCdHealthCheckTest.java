package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.lifeline.test.harness.RepoPaths;

/**
 * The Argo CD health check and resource actions of {@code deploy/argocd/lifeline.dev/RealtimePlatform/},
 * tested the way Argo CD tests its own (util/lua/health_test.go and custom_actions_test.go): every case
 * of {@code health_test.yaml} and {@code actions/action_test.yaml} runs the script in a real Lua 5.1
 * interpreter ({@code lua5.1}, provided by {@code test/scripts/lua.sh}; {@code LIFELINE_LUA} names
 * another) with the testdata manifest as the global {@code obj}, in the sandbox Argo CD gives scripts
 * from argocd-cm (see {@code src/test/resources/argocd/run-customization.lua}), and the result is
 * judged as Argo CD judges it. Also checks that {@code deploy/argocd/argocd-cm-patch.yaml} inlines
 * exactly these scripts; regenerate it with
 * {@code ./mvnw -pl test test -Dtest=ArgoCdHealthCheckTest -Dlifeline.argocd.update=true}.
 */
class ArgoCdHealthCheckTest {

    static final String GROUP_KIND = "lifeline.dev_RealtimePlatform";
    static final String HEALTH_KEY = "resource.customizations.health." + GROUP_KIND;
    static final String ACTIONS_KEY = "resource.customizations.actions." + GROUP_KIND;
    static final Set<String> HEALTH_CODES = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing",
            "Unknown");
    static final String DRILL_ANNOTATION = "lifeline.dev/drill";
    static final Pattern DRILL_ID = Pattern.compile("drill-(\\d{8}-\\d{6})");

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    static Path argocd() {
        return RepoPaths.deploy().resolve("argocd");
    }

    static Path customization() {
        return argocd().resolve("lifeline.dev/RealtimePlatform");
    }

    // ---- health ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> healthChecks() {
        Path dir = customization();
        return healthCases(dir).stream().map(c -> DynamicTest.dynamicTest(c.inputPath(),
                () -> assertHealth(dir.resolve("health.lua"), dir, c)));
    }

    record HealthCase(String inputPath, String status, String message) {
    }

    static List<HealthCase> healthCases(Path dir) {
        JsonNode tests = readYaml(dir.resolve("health_test.yaml")).path("tests");
        assertThat(tests.isArray() && tests.size() > 0).as("health_test.yaml has tests").isTrue();
        List<HealthCase> cases = new ArrayList<>();
        for (JsonNode test : tests) {
            cases.add(new HealthCase(test.path("inputPath").asText(), test.path("healthStatus").path("status").asText(""),
                    test.path("healthStatus").path("message").asText("")));
        }
        return cases;
    }

    static void assertHealth(Path script, Path dir, HealthCase test) {
        JsonNode obj = readYaml(dir.resolve(test.inputPath()));
        JsonNode result = Lua.run(script, obj, Map.of());
        // As VM.ExecuteHealthLua: a table becomes {status, message}, where a status Argo CD does not
        // know is Unknown; an empty table or nil is an empty health status.
        String status = "";
        String message = "";
        if (result.isObject()) {
            status = textOrEmpty(result, "status");
            message = textOrEmpty(result, "message");
            if (!HEALTH_CODES.contains(status)) {
                status = "Unknown";
                message = "Lua returned an invalid health status";
            }
        } else if (!(result.isNull() || result.isArray() && result.isEmpty())) {
            fail("health.lua returned " + result + ", Argo CD expects a table");
        }
        assertThat(Map.of("status", status, "message", message)).as("health of %s", test.inputPath())
                .isEqualTo(Map.of("status", test.status(), "message", test.message()));
    }

    @Test
    void healthTestsCoverEveryStatusTheCheckReturns() {
        Set<String> covered = healthCases(customization()).stream().map(HealthCase::status).collect(Collectors.toSet());
        assertThat(covered).contains("Healthy", "Progressing", "Degraded", "Suspended");
    }

    /** The suite catches a broken health.lua: each of these mutations of it fails at least one case. */
    @Test
    void aBrokenHealthCheckFails(@TempDir Path temp) throws IOException {
        Path dir = customization();
        String health = Files.readString(dir.resolve("health.lua"));
        Map<String, String> mutants = new LinkedHashMap<>();
        mutants.put("syntax error", health.replaceFirst("local hs = \\{\\}", "local hs = {"));
        mutants.put("Degraded reported as Healthy", health.replace("hs.status = \"Degraded\"", "hs.status = \"Healthy\""));
        mutants.put("paused ignored", health.replace("obj.spec.paused == true", "false"));
        mutants.put("uses the string library", health.replace("local hs = {}", "local hs = {}\nlocal _ = string.len(\"\")"));
        for (Map.Entry<String, String> mutant : mutants.entrySet()) {
            assertThat(mutant.getValue()).as(mutant.getKey()).isNotEqualTo(health);
            Path broken = temp.resolve("health-" + mutant.getKey().replace(' ', '-') + ".lua");
            Files.writeString(broken, mutant.getValue());
            assertThatThrownBy(() -> {
                for (HealthCase test : healthCases(dir)) {
                    assertHealth(broken, dir, test);
                }
            }).as("a health.lua with %s must fail the tests", mutant.getKey()).isInstanceOf(AssertionError.class);
        }
    }

    // ---- actions --------------------------------------------------------------------------------------

    record ResourceAction(String name, boolean disabled, String displayName, String iconClass, List<String> params) {
    }

    @TestFactory
    Stream<DynamicTest> actionDiscovery() {
        Path actions = customization().resolve("actions");
        JsonNode tests = readYaml(actions.resolve("action_test.yaml")).path("discoveryTests");
        assertThat(tests.size()).as("discoveryTests").isPositive();
        List<DynamicTest> cases = new ArrayList<>();
        for (JsonNode test : tests) {
            String inputPath = test.path("inputPath").asText();
            cases.add(DynamicTest.dynamicTest(inputPath, () -> {
                JsonNode obj = readYaml(actions.resolve(inputPath));
                List<ResourceAction> found = discover(actions.resolve("discovery.lua"), obj);
                List<ResourceAction> expected = new ArrayList<>();
                for (JsonNode e : test.path("result")) {
                    expected.add(resourceAction(e.path("name").asText(), e));
                }
                // Argo CD checks that every discovered action is among the expected ones; this also
                // checks the converse.
                assertThat(found).as("actions discovered on %s", inputPath).containsExactlyInAnyOrderElementsOf(expected);
            }));
        }
        return cases.stream();
    }

    /** As VM.ExecuteResourceActionDiscovery: one action per key of the returned table. */
    static List<ResourceAction> discover(Path script, JsonNode obj) {
        JsonNode result = Lua.run(script, obj, Map.of());
        List<ResourceAction> actions = new ArrayList<>();
        if (result.isArray() && result.isEmpty()) {
            return actions;
        }
        assertThat(result.isObject()).as("discovery.lua returns a table of actions, not %s", result).isTrue();
        result.properties().forEach(e -> actions.add(resourceAction(e.getKey(), e.getValue())));
        return actions;
    }

    static ResourceAction resourceAction(String name, JsonNode value) {
        JsonNode disabled = value.path("disabled");
        List<String> params = new ArrayList<>();
        value.path("params").forEach(p -> params.add(p.path("name").asText("")));
        return new ResourceAction(name, disabled.isBoolean() && disabled.booleanValue(),
                textOrEmpty(value, "displayName"), textOrEmpty(value, "iconClass"), params);
    }

    @Test
    void everyDiscoveredActionHasAScriptAndATest() throws IOException {
        Path actions = customization().resolve("actions");
        Set<String> scripts;
        try (Stream<Path> dirs = Files.list(actions)) {
            scripts = dirs.filter(d -> Files.isRegularFile(d.resolve("action.lua")))
                    .map(d -> d.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        JsonNode tests = readYaml(actions.resolve("action_test.yaml"));
        Set<String> discovered = new TreeSet<>();
        for (JsonNode test : tests.path("discoveryTests")) {
            discover(actions.resolve("discovery.lua"), readYaml(actions.resolve(test.path("inputPath").asText())))
                    .forEach(a -> discovered.add(a.name()));
        }
        Set<String> tested = new TreeSet<>();
        tests.path("actionTests").forEach(t -> tested.add(t.path("action").asText()));
        assertThat(scripts).as("actions/*/action.lua").isNotEmpty().isEqualTo(discovered).isEqualTo(tested);
    }

    @TestFactory
    Stream<DynamicTest> actions() {
        Path actions = customization().resolve("actions");
        JsonNode tests = readYaml(actions.resolve("action_test.yaml")).path("actionTests");
        assertThat(tests.size()).as("actionTests").isPositive();
        List<DynamicTest> cases = new ArrayList<>();
        for (JsonNode test : tests) {
            String action = test.path("action").asText();
            String inputPath = test.path("inputPath").asText();
            cases.add(DynamicTest.dynamicTest(action + "/" + inputPath, () -> runAction(actions, test)));
        }
        return cases.stream();
    }

    static void runAction(Path actions, JsonNode test) {
        String action = test.path("action").asText();
        JsonNode source = readYaml(actions.resolve(test.path("inputPath").asText()));
        Map<String, String> params = new LinkedHashMap<>();
        test.path("parameters").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        Instant before = Instant.now();
        Lua.Result run = Lua.execute(actions.resolve(action).resolve("action.lua"), source, params);
        Instant after = Instant.now();
        if (test.hasNonNull("expectedErrorMessage")) {
            assertThat(run.exitCode()).as("action %s fails", action).isNotZero();
            assertThat(run.stderr()).contains(test.path("expectedErrorMessage").asText());
            return;
        }
        JsonNode result = run.json();

        // As VM.ExecuteResourceAction: an object is the patched source resource; an array is a list
        // of {operation, resource}.
        List<JsonNode> resources = new ArrayList<>();
        if (result.isObject()) {
            resources.add(cleanReturnedObject((ObjectNode) result, source));
        } else if (result.isArray()) {
            for (JsonNode impacted : result) {
                JsonNode resource = impacted.path("resource");
                String operation = impacted.path("operation").asText();
                assertThat(operation).as("operation").isIn("patch", "create");
                resources.add("patch".equals(operation) ? cleanReturnedObject((ObjectNode) resource, source) : resource);
            }
        } else {
            fail("action " + action + " returned " + result + ", Argo CD expects a table");
        }

        JsonNode expectedFile = readYaml(actions.resolve(test.path("expectedOutputPath").asText()));
        List<JsonNode> expected = new ArrayList<>();
        if (expectedFile.isArray()) {
            expectedFile.forEach(e -> expected.add(e.path("unstructuredObj")));
        } else {
            expected.add(expectedFile);
        }
        assertThat(resources).as("resources returned by %s", action).hasSameSizeAs(expected);
        for (JsonNode resource : resources) {
            JsonNode want = expected.stream().filter(e -> sameObject(e, resource)).findFirst().orElse(null);
            assertThat(want).as("expected output for %s", identity(resource)).isNotNull();
            if ("drill".equals(action)) {
                normalizeDrillId(resource, source, want, before, after);
            }
            assertThat(equalValues(want, resource))
                    .as("%s on %s:%nexpected %s%nbut was  %s", action, test.path("inputPath").asText(), want, resource)
                    .isTrue();
        }
    }

    /**
     * The drill id is made from the time of the run: it must be that time (UTC, to the second) and
     * differ from the source's id, then it is compared as the expected file's id.
     */
    static void normalizeDrillId(JsonNode resource, JsonNode source, JsonNode expected, Instant before, Instant after) {
        String id = resource.path("metadata").path("annotations").path(DRILL_ANNOTATION).asText("");
        Matcher m = DRILL_ID.matcher(id);
        assertThat(m.matches()).as("drill id %s is drill-<yyyyMMdd-HHmmss>", id).isTrue();
        Instant at = LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                .toInstant(ZoneOffset.UTC);
        assertThat(at).as("drill id time").isBetween(before.minusSeconds(1), after.plusSeconds(1));
        assertThat(id).as("a new drill id").isNotEqualTo(
                source.path("metadata").path("annotations").path(DRILL_ANNOTATION).asText(""));
        ((ObjectNode) resource.path("metadata").path("annotations")).set(DRILL_ANNOTATION,
                expected.path("metadata").path("annotations").path(DRILL_ANNOTATION));
    }

    /**
     * As Argo CD's cleanReturnedObj: Lua cannot tell an empty object from an empty array, so where the
     * source had an object and the result has an empty array, the result gets an empty object.
     */
    static JsonNode cleanReturnedObject(ObjectNode result, JsonNode source) {
        for (Map.Entry<String, JsonNode> field : source.properties()) {
            String name = field.getKey();
            JsonNode was = field.getValue();
            JsonNode now = result.get(name);
            if (now == null) {
                continue;
            }
            if (now.isObject() && was.isObject()) {
                cleanReturnedObject((ObjectNode) now, was);
            } else if (now.isArray() && was.isObject() && now.isEmpty()) {
                result.set(name, JsonNodeFactory.instance.objectNode());
            } else if (now.isArray() && was.isArray()) {
                for (int i = 0; i < Math.min(now.size(), was.size()); i++) {
                    if (now.get(i).isObject() && was.get(i).isObject()) {
                        cleanReturnedObject((ObjectNode) now.get(i), was.get(i));
                    }
                }
            }
        }
        return result;
    }

    static boolean sameObject(JsonNode a, JsonNode b) {
        return identity(a).equals(identity(b));
    }

    static String identity(JsonNode o) {
        return o.path("apiVersion").asText() + "/" + o.path("kind").asText() + " "
                + o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText();
    }

    /** Equal as JSON values; numbers by value (Lua has only doubles, YAML has integers). */
    static boolean equalValues(JsonNode a, JsonNode b) {
        Comparator<JsonNode> numbersByValue = (x, y) -> {
            if (x.equals(y)) {
                return 0;
            }
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return 1;
        };
        return a.equals(numbersByValue, b);
    }

    // ---- argocd-cm ------------------------------------------------------------------------------------

    /** deploy/argocd/argocd-cm-patch.yaml carries exactly the scripts of the files, so they cannot drift. */
    @Test
    void argocdCmPatchInlinesTheScripts() throws IOException {
        Path patch = argocd().resolve("argocd-cm-patch.yaml");
        String generated = argocdCmPatch();
        if (Boolean.getBoolean("lifeline.argocd.update")) {
            Files.writeString(patch, generated);
        }
        assertThat(patch).exists();
        String committed = Files.readString(patch);

        // What Argo CD reads from the ConfigMap is the scripts, byte for byte.
        JsonNode cm = YAML.readTree(committed);
        assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(cm.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
        Path dir = customization();
        assertThat(cm.path("data").path(HEALTH_KEY).asText()).as(HEALTH_KEY)
                .isEqualTo(Files.readString(dir.resolve("health.lua")));
        JsonNode actions = YAML.readTree(cm.path("data").path(ACTIONS_KEY).asText());
        assertThat(actions.path("discovery.lua").asText()).as("discovery.lua in " + ACTIONS_KEY)
                .isEqualTo(Files.readString(dir.resolve("actions/discovery.lua")));
        Map<String, String> inlined = new LinkedHashMap<>();
        actions.path("definitions").forEach(d -> inlined.put(d.path("name").asText(), d.path("action.lua").asText()));
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : actionNames()) {
            files.put(name, Files.readString(dir.resolve("actions").resolve(name).resolve("action.lua")));
        }
        assertThat(inlined).as("definitions in " + ACTIONS_KEY).isEqualTo(files);

        assertThat(committed)
                .as("deploy/argocd/argocd-cm-patch.yaml differs from the scripts; regenerate it with "
                        + "./mvnw -pl test test -Dtest=ArgoCdHealthCheckTest -Dlifeline.argocd.update=true")
                .isEqualTo(generated);
    }

    static List<String> actionNames() throws IOException {
        try (Stream<Path> dirs = Files.list(customization().resolve("actions"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("action.lua"))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        }
    }

    static String argocdCmPatch() throws IOException {
        Path dir = customization();
        StringBuilder actions = new StringBuilder("discovery.lua: |\n");
        actions.append(indent(Files.readString(dir.resolve("actions/discovery.lua")), 2));
        actions.append("definitions:\n");
        for (String name : actionNames()) {
            actions.append("- name: ").append(name).append("\n  action.lua: |\n");
            actions.append(indent(Files.readString(dir.resolve("actions").resolve(name).resolve("action.lua")), 4));
        }
        return """
                # Generated from deploy/argocd/lifeline.dev/RealtimePlatform/ by ArgoCdHealthCheckTest, which
                # fails when this file and the scripts differ. Do not edit by hand: edit the .lua files, then
                #   ./mvnw -pl test test -Dtest=ArgoCdHealthCheckTest -Dlifeline.argocd.update=true
                #
                # Merge into Argo CD's argocd-cm (keeps every other key; see deploy/argocd/README.md):
                #   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file deploy/argocd/argocd-cm-patch.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: argocd-cm
                  namespace: argocd
                data:
                """
                + "  " + HEALTH_KEY + ": |\n" + indent(Files.readString(dir.resolve("health.lua")), 4)
                + "  " + ACTIONS_KEY + ": |\n" + indent(actions.toString(), 4);
    }

    static String indent(String text, int spaces) {
        assertThat(text).as("script text").endsWith("\n").doesNotEndWith("\n\n");
        String pad = " ".repeat(spaces);
        return text.lines().map(line -> line.isEmpty() ? "" : pad + line).collect(Collectors.joining("\n", "", "\n"));
    }

    // ---- the interpreter ------------------------------------------------------------------------------

    /** The sandbox is no more permissive than Argo CD's: scripts cannot pass here and fail there. */
    @Test
    void scriptsRunInArgoCdsSandbox(@TempDir Path temp) throws IOException {
        JsonNode obj = YAML.readTree("metadata: {name: x}");
        Map<String, String> denied = Map.of(
                "string library", "return {n = string.len(\"x\")}",
                "string methods", "return {n = (\"x\"):len()}",
                "math library", "return {n = math.floor(1.5)}",
                "os beyond time and date", "return {h = require(\"os\").getenv(\"HOME\")}",
                "a global os (only require(\"os\") has one)", "return {t = os.time()}",
                "io library", "return {f = io.open(\"/etc/hostname\")}",
                "modules other than os", "local s = require(\"string\")\nreturn {}");
        for (Map.Entry<String, String> c : denied.entrySet()) {
            Path script = temp.resolve("denied.lua");
            Files.writeString(script, c.getValue());
            assertThat(Lua.execute(script, obj, Map.of()).exitCode()).as(c.getKey()).isNotZero();
        }
        Path allowed = temp.resolve("allowed.lua");
        Files.writeString(allowed, """
                local os = require("os")
                local parts = {}
                table.insert(parts, obj.metadata.name)
                table.insert(parts, actionParams["p"])
                return {joined = table.concat(parts, ","), year = os.date("!%Y"), now = os.time() > 0,
                  list = {1, 2.5, "three"}, empty = {}}
                """);
        JsonNode result = Lua.run(allowed, obj, Map.of("p", "v"));
        assertThat(result.path("joined").asText()).isEqualTo("x,v");
        assertThat(result.path("year").asText()).isEqualTo(Integer.toString(LocalDateTime.now(ZoneOffset.UTC).getYear()));
        assertThat(result.path("now").asBoolean()).isTrue();
        assertThat(result.path("list").toString()).isEqualTo("[1,2.5,\"three\"]");
        assertThat(result.path("empty").toString()).isEqualTo("[]");
    }

    /** Runs a script in lua5.1 through src/test/resources/argocd/run-customization.lua. */
    static final class Lua {

        record Result(int exitCode, String stdout, String stderr) {
            JsonNode json() {
                assertThat(exitCode).as("Lua failed: %s", stderr).isZero();
                try {
                    return JSON.readTree(stdout);
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + stdout, e);
                }
            }
        }

        static JsonNode run(Path script, JsonNode obj, Map<String, String> actionParams) {
            return execute(script, obj, actionParams).json();
        }

        static Result execute(Path script, JsonNode obj, Map<String, String> actionParams) {
            StringBuilder input = new StringBuilder("return {obj = ").append(toLua(obj)).append(", actionParams = {");
            actionParams.forEach((k, v) -> input.append('[').append(luaString(k)).append("] = ").append(luaString(v))
                    .append(", "));
            input.append("}}\n");
            String lua = System.getenv().getOrDefault("LIFELINE_LUA", "lua5.1");
            Process process;
            try {
                process = new ProcessBuilder(lua, runner().toString(), script.toString()).start();
            } catch (IOException e) {
                throw new AssertionError("No Lua 5.1 interpreter (" + lua + "): run test/scripts/lua.sh "
                        + "(scripts/test.sh does), or set LIFELINE_LUA", e);
            }
            try {
                CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process, false));
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process, true));
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.toString().getBytes(StandardCharsets.UTF_8));
                }
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(script + " did not finish in 20 s (Argo CD allows 1 s)");
                }
                return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                        new String(err.join(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private static byte[] readAll(Process process, boolean stderr) {
            try {
                return (stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path runner() {
            try {
                return Path.of(ArgoCdHealthCheckTest.class.getResource("/argocd/run-customization.lua").toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A JSON value as a Lua expression, as Argo CD's decodeValue builds the table: objects and
         * arrays become tables (arrays from index 1), numbers are Lua numbers, null is nil.
         */
        static String toLua(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return "nil";
            }
            if (node.isObject()) {
                StringBuilder s = new StringBuilder("{");
                node.properties().forEach(e -> {
                    if (!e.getValue().isNull()) {
                        s.append('[').append(luaString(e.getKey())).append("] = ").append(toLua(e.getValue())).append(", ");
                    }
                });
                return s.append('}').toString();
            }
            if (node.isArray()) {
                StringBuilder s = new StringBuilder("{");
                for (JsonNode item : (ArrayNode) node) {
                    if (!item.isNull()) {
                        s.append(toLua(item)).append(", ");
                    }
                }
                return s.append('}').toString();
            }
            if (node.isBoolean()) {
                return Boolean.toString(node.booleanValue());
            }
            if (node.isIntegralNumber()) {
                return node.bigIntegerValue().toString();
            }
            if (node.isNumber()) {
                return Double.toString(node.doubleValue());
            }
            return luaString(node.asText());
        }

        /** A Lua string literal of the UTF-8 bytes of {@code text}. */
        static String luaString(String text) {
            StringBuilder s = new StringBuilder("\"");
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c == '"' || c == '\\') {
                    s.append('\\').append((char) c);
                } else if (c >= 0x20 && c < 0x7f) {
                    s.append((char) c);
                } else {
                    s.append('\\').append(String.format("%03d", c));
                }
            }
            return s.append('"').toString();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    static String textOrEmpty(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "";
    }

    /** Every testdata file is used by a test (an unused one is a case nobody checks). */
    @Test
    void everyTestdataFileIsUsed() throws IOException {
        Path dir = customization();
        Set<Path> used = new HashSet<>();
        healthCases(dir).forEach(c -> used.add(dir.resolve(c.inputPath()).normalize()));
        JsonNode actionTests = readYaml(dir.resolve("actions/action_test.yaml"));
        for (JsonNode t : actionTests.path("discoveryTests")) {
            used.add(dir.resolve("actions").resolve(t.path("inputPath").asText()).normalize());
        }
        for (JsonNode t : actionTests.path("actionTests")) {
            used.add(dir.resolve("actions").resolve(t.path("inputPath").asText()).normalize());
            used.add(dir.resolve("actions").resolve(t.path("expectedOutputPath").asText()).normalize());
        }
        List<Path> files = new ArrayList<>();
        for (Path testdata : List.of(dir.resolve("testdata"), dir.resolve("actions/testdata"))) {
            try (Stream<Path> list = Files.list(testdata)) {
                list.map(Path::normalize).forEach(files::add);
            }
        }
        assertThat(files).isNotEmpty();
        assertThat(used).as("files referenced by the tests exist").allMatch(Files::isRegularFile);
        assertThat(files).as("testdata files not referenced by health_test.yaml or action_test.yaml")
                .allMatch(used::contains);
    }
}
