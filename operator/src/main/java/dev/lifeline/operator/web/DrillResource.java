package dev.lifeline.operator.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.lifeline.operator.OperatorConfig;
import dev.lifeline.operator.drill.DrillProgress;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Failover drills over REST. POST starts one by setting the {@value DrillProgress#ANNOTATION}
 * annotation (the same as {@code kubectl annotate}, so the request is recorded on the resource and
 * survives a leader change); GET returns the latest drill with its measured times.
 */
@Path("/api/v1/namespaces/{namespace}/realtimeplatforms/{name}/drill")
@Produces(MediaType.APPLICATION_JSON)
public class DrillResource {

    private final KubernetesClient client;
    private final Drills drills;
    private final OperatorConfig config;

    public DrillResource(KubernetesClient client, Drills drills, OperatorConfig config) {
        this.client = client;
        this.drills = drills;
        this.config = config;
    }

    @POST
    public Response start(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("holdSeconds") Integer holdSeconds) {
        RealtimePlatform platform = RequestedPlatform.get(client, namespace, name);
        if (holdSeconds != null && (holdSeconds < 1 || holdSeconds > DrillProgress.MAX_HOLD_SECONDS)) {
            throw new BadRequestException("holdSeconds must be 1.." + DrillProgress.MAX_HOLD_SECONDS);
        }
        if (drills.current(platform).filter(DrillProgress::isRunning).isPresent()) {
            return Response.status(Response.Status.CONFLICT)
                    .entity(Map.of("message", "drill " + drills.current(platform).get().id + " is still running"))
                    .build();
        }
        String id = "drill-" + Instant.now().toEpochMilli();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(DrillProgress.ANNOTATION, id);
        annotations.put(DrillProgress.HOLD_ANNOTATION,
                Integer.toString(holdSeconds == null ? DrillProgress.DEFAULT_HOLD_SECONDS : holdSeconds));
        client.resources(RealtimePlatform.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("region", config.region());
        body.put("holdSeconds", annotations.get(DrillProgress.HOLD_ANNOTATION));
        return Response.accepted(body).build();
    }

    @GET
    public Object latest(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return drills.current(RequestedPlatform.get(client, namespace, name))
                .orElseThrow(() -> new NotFoundException("No drill has run for " + namespace + "/" + name));
    }
}
