package dev.lifeline.operator.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * What the caller may do with a platform, for the status page: it shows the drill button only
 * when the answer says so. Reading it needs {@code get} like the rest of the API
 * ({@link ApiAccessFilter}); the POST itself is checked again on its own.
 */
@Path("/api/v1/namespaces/{namespace}/realtimeplatforms/{name}/access")
@Produces(MediaType.APPLICATION_JSON)
public class AccessResource {

    private final TokenReviews tokens;
    private final AccessReviews access;

    public AccessResource(TokenReviews tokens, AccessReviews access) {
        this.tokens = tokens;
        this.access = access;
    }

    @GET
    public Map<String, Object> access(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // The filter has authenticated this token already: this is a cache hit.
        Caller caller = BearerToken.from(authorization).flatMap(tokens::authenticate)
                .orElseThrow(() -> new NotAuthorizedException("Bearer"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", caller.username());
        body.put("read", true);
        body.put("startDrill", access.allows(caller, new RequiredAccess(namespace, name, RequiredAccess.CHANGE)));
        return body;
    }
}
