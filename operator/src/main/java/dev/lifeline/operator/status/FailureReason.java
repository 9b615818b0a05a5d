package dev.lifeline.operator.status;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;

/** A failure turned into a condition reason and a message a user can act on. */
public record FailureReason(String reason, String message) {

    /**
     * True when retrying cannot help: the API server forbids (RBAC) or rejects (spec values) what
     * Lifeline does. Conflicts, server errors and anything else are retried with backoff.
     */
    public boolean needsAPerson() {
        return "Forbidden".equals(reason) || "Invalid".equals(reason);
    }

    public static FailureReason of(Exception error) {
        Throwable cause = rootKubernetesError(error);
        if (cause instanceof KubernetesClientException k) {
            int code = k.getCode();
            String detail = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                    : k.getMessage();
            return switch (code) {
                case 401, 403 -> new FailureReason("Forbidden", "The operator is not allowed to do this: " + detail
                        + ". Check that the ClusterRole in deploy/ is installed and bound to the operator's ServiceAccount.");
                case 409 -> new FailureReason("Conflict", "A resource changed while Lifeline was updating it: "
                        + detail + ". Lifeline retries with the latest version.");
                case 422, 400 -> new FailureReason("Invalid", "The API server rejected a resource Lifeline built: "
                        + detail + ". Check spec values such as image, ports and resources.");
                case 404 -> new FailureReason("NotFound", detail);
                default -> new FailureReason("ApiServerError", "The Kubernetes API failed (HTTP " + code + "): "
                        + detail + ". Lifeline retries with backoff.");
            };
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new FailureReason("ReconcileFailed", message + " (Lifeline retries with backoff).");
    }

    /** The first Kubernetes API error behind a failure, also inside a workflow's aggregated errors. */
    private static Throwable rootKubernetesError(Throwable error) {
        Throwable current = error;
        while (current != null) {
            if (current instanceof KubernetesClientException) {
                return current;
            }
            if (current instanceof AggregatedOperatorException aggregated) {
                for (Exception inner : aggregated.getAggregatedExceptions().values()) {
                    Throwable found = rootKubernetesError(inner);
                    if (found instanceof KubernetesClientException) {
                        return found;
                    }
                }
            }
            current = current.getCause();
        }
        return error;
    }
}
