package dev.lifeline.test.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * How the operator image starts its JVM, read from where the image gets it: the Jib configuration of
 * {@code operator/pom.xml} (entrypoint and environment). Tests, benchmarks and the local run start the operator
 * with these, so that what they measure is what the image runs; {@code Dockerfile.jvm} states the same
 * ({@code OperatorImageJvmTest}).
 */
public final class OperatorImageJvm {

    private static final String JIB_CONTAINER = "//plugin[artifactId='jib-maven-plugin']/configuration/container";

    private final List<String> options;
    private final Map<String, String> environment;

    private OperatorImageJvm(List<String> options, Map<String, String> environment) {
        this.options = List.copyOf(options);
        this.environment = Map.copyOf(environment);
    }

    /** The operator image's JVM as {@code operator/pom.xml} configures Jib. */
    public static OperatorImageJvm fromPom() {
        return fromPom(RepoPaths.root().resolve("operator/pom.xml"));
    }

    static OperatorImageJvm fromPom(Path pom) {
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            var xpath = XPathFactory.newInstance().newXPath();
            NodeList args = (NodeList) xpath.evaluate(JIB_CONTAINER + "/entrypoint/arg", document, XPathConstants.NODESET);
            List<String> entrypoint = new ArrayList<>();
            for (int i = 0; i < args.getLength(); i++) {
                entrypoint.add(args.item(i).getTextContent().trim());
            }
            int jar = entrypoint.indexOf("-jar");
            if (entrypoint.isEmpty() || !entrypoint.get(0).equals("java") || jar < 0) {
                throw new IllegalStateException(pom + ": the Jib entrypoint is not `java <options> -jar <jar>`: "
                        + entrypoint);
            }
            Map<String, String> environment = new LinkedHashMap<>();
            Node variables = (Node) xpath.evaluate(JIB_CONTAINER + "/environment", document, XPathConstants.NODE);
            if (variables != null) {
                for (Node n = variables.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element variable) {
                        environment.put(variable.getTagName(), variable.getTextContent().trim());
                    }
                }
            }
            return new OperatorImageJvm(entrypoint.subList(1, jar), environment);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the operator image's JVM settings from " + pom, e);
        }
    }

    /** The JVM options between {@code java} and {@code -jar}, in order. */
    public List<String> options() {
        return options;
    }

    /** The environment the image sets for the JVM (say, the C library's allocator settings). */
    public Map<String, String> environment() {
        return environment;
    }
}
