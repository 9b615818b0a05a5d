package dev.lifeline.operator.web;

import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Guards the REST API (and so the status page, which reads only the API): who calls is decided
 * by the API server's TokenReview, what they may do by its SubjectAccessReview
 * ({@link RequiredAccess}). No token or a token the API server rejects: 401; a caller without the
 * permission: 403; the API server unreachable or refusing the reviews: 503 (a doubt never
 * grants access). Each refusal is one log line naming the caller, never the token.
 *
 * <p>Health probes ({@code /q/health}) and metrics ({@code /q/metrics}) are not under
 * {@code /api/}: kubelets probe without credentials, and metrics stay scrapeable by Prometheus
 * as Kubernetes components' are when network policy limits who reaches the port (see the
 * operator README).
 */
public class ApiAccessFilter {

    private static final Logger LOG = Logger.getLogger(ApiAccessFilter.class);

    private final TokenReviews tokens;
    private final AccessReviews access;

    public ApiAccessFilter(TokenReviews tokens, AccessReviews access) {
        this.tokens = tokens;
        this.access = access;
    }

    /** Runs on the worker thread of the (blocking) resource method: the reviews are blocking calls. */
    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request, HttpServerRequest http) {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        Optional<RequiredAccess.Decision> required = RequiredAccess.of(method, path);
        if (required.isEmpty()) {
            return Optional.empty();
        }
        String call = method + " " + path + " from " + http.remoteAddress();
        Optional<String> token = BearerToken.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return refuse(Response.Status.UNAUTHORIZED, call, "no bearer token");
        }
        try {
            Optional<Caller> caller = tokens.authenticate(token.get());
            if (caller.isEmpty()) {
                return refuse(Response.Status.UNAUTHORIZED, call, "the API server did not accept the bearer token");
            }
            String user = caller.get().username();
            if (!required.get().grantable()) {
                return refuse(Response.Status.FORBIDDEN, call, user + " called an API path without an access rule");
            }
            if (!access.allows(caller.get(), required.get().access())) {
                return refuse(Response.Status.FORBIDDEN, call, user + " may not " + required.get().access());
            }
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return refuse(Response.Status.SERVICE_UNAVAILABLE, call,
                    "token or access review failed (" + (e.getCode() > 0 ? e.getCode() + " " : "")
                            + (e.getStatus() != null ? e.getStatus().getReason() : e.getClass().getSimpleName())
                            + "); the operator's ServiceAccount needs create on tokenreviews and subjectaccessreviews"
                            + " (deploy/manifests/10-rbac.yaml)");
        }
    }

    private static Optional<Response> refuse(Response.Status status, String call, String why) {
        LOG.warnf("Refused %s: %s (%d)", call, why, status.getStatusCode());
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", why));
        if (status == Response.Status.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return Optional.of(response.build());
    }
}
