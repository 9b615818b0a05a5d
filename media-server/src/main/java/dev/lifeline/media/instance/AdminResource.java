package dev.lifeline.media.instance;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operator and test hooks: start a drain, read the instance's state. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    InstanceLifecycle lifecycle;

    /** Starts a graceful drain; the process exits when empty or at the deadline. */
    @POST
    @Path("/drain")
    public Response drain() {
        boolean started = lifecycle.startDrain();
        return Response.accepted(Map.of("draining", true, "alreadyDraining", !started)).build();
    }

    @GET
    @Path("/status")
    public Map<String, Object> status() {
        RoleStats role = lifecycle.role();
        return Map.of("role", role.role(), "address", role.address(), "sessions", role.sessions(),
                "draining", lifecycle.draining(), "ready", lifecycle.ready());
    }
}
