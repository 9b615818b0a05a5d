package dev.lifeline.test.harness;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The API server's own count of the requests it served ({@code apiserver_request_total} on its
 * {@code /metrics}), keyed {@code "VERB resource[/subresource]"}, e.g. {@code "APPLY deployments"}:
 * what every client sent, read from the server, so a write skipped by the server as a no-op (a
 * server-side apply that changes nothing keeps the resourceVersion) still counts.
 */
public record ApiServerRequests(Map<String, Double> counts) {

    private static final Pattern REQUEST_TOTAL = Pattern.compile("^apiserver_request_total\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Set<String> READ_VERBS = Set.of("GET", "LIST", "WATCH", "CONNECT");

    /** The counters now. */
    public static ApiServerRequests of(KubernetesClient client) {
        String metrics = client.raw(client.getMasterUrl().toString().replaceAll("/$", "") + "/metrics");
        Map<String, Double> totals = new TreeMap<>();
        for (String row : metrics.split("\n")) {
            Matcher m = REQUEST_TOTAL.matcher(row);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            if (!labels.getOrDefault("subresource", "").isEmpty()) {
                resource += "/" + labels.get("subresource");
            }
            totals.merge(labels.get("verb") + " " + (resource.isEmpty() ? "(non-resource)" : resource),
                    Double.parseDouble(m.group(2)), Double::sum);
        }
        return new ApiServerRequests(totals);
    }

    /** The requests served since {@code earlier}: only the keys that grew. */
    public ApiServerRequests since(ApiServerRequests earlier) {
        Map<String, Double> d = new TreeMap<>();
        counts.forEach((k, v) -> {
            double n = v - earlier.counts.getOrDefault(k, 0.0);
            if (n > 0) {
                d.put(k, n);
            }
        });
        return new ApiServerRequests(d);
    }

    /** Only the writes (every verb but GET, LIST, WATCH and CONNECT). */
    public ApiServerRequests writes() {
        Map<String, Double> w = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (isWrite(k)) {
                w.put(k, v);
            }
        });
        return new ApiServerRequests(w);
    }

    /** Without the keys whose resource is one of {@code resources} (e.g. "leases", "deployments/status"). */
    public ApiServerRequests without(String... resources) {
        Set<String> skip = Set.of(resources);
        Map<String, Double> kept = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (!skip.contains(k.substring(k.indexOf(' ') + 1))) {
                kept.put(k, v);
            }
        });
        return new ApiServerRequests(kept);
    }

    public double total() {
        return counts.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public static boolean isWrite(String key) {
        return !READ_VERBS.contains(key.substring(0, key.indexOf(' ')));
    }
}
