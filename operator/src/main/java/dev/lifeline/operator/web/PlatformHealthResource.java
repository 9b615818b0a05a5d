package dev.lifeline.operator.web;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.OperatorConfig;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionStatus;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.Observations.RegionObservation;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Read-only REST view of what this region's operator sees and decided for a platform:
 * this operator's region, per-region health and load (sessions and capacity, as published in the regions' heartbeats), this
 * region's breakers, DNS weight and phase, the quorum verdict, and the decision history. Served on
 * the operator's HTTP port next to /q/health and /q/metrics.
 */
@Path("/api/v1/namespaces/{namespace}/realtimeplatforms/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformHealthResource {

    private final PlatformMemory memory;
    private final KubernetesClient client;
    private final OperatorConfig config;

    public PlatformHealthResource(PlatformMemory memory, KubernetesClient client, OperatorConfig config) {
        this.memory = memory;
        this.client = client;
        this.config = config;
    }

    /** The latest self-healing step: health per region, breakers, weight, phase, quorum, notes. */
    @GET
    @Path("/health")
    public Map<String, Object> health(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        Decisions decisions = memory.latest(namespace, name).orElseThrow(() -> new NotFoundException(
                "No self-healing step yet for " + namespace + "/" + name + " in this region"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", decisions.at().toString());
        body.put("region", config.region());
        Map<String, String> health = new LinkedHashMap<>();
        decisions.health().forEach((region, h) -> health.put(region, h.statusName()));
        body.put("regions", health);
        body.put("load", load(namespace, name));
        body.put("phase", decisions.localPhase().statusName());
        body.put("dnsWeight", decisions.localWeight());
        body.put("breakers", decisions.state().breakerStatuses());
        body.put("quorum", Map.of("down", decisions.quorum().down(), "live", decisions.quorum().live(),
                "isolated", decisions.quorum().isolated()));
        body.put("notes", decisions.notes());
        return body;
    }

    /** Sessions and capacity per region, where known; the local region's as read from its relays this interval. */
    private Map<String, Map<String, Long>> load(String namespace, String name) {
        Map<String, Map<String, Long>> load = new LinkedHashMap<>();
        memory.observations(namespace, name).ifPresent(o -> o.regions().values().stream()
                .sorted(Comparator.comparing(RegionObservation::name)).forEach(r -> {
                    Map<String, Long> values = new LinkedHashMap<>();
                    if (r.activeSessions() != null) {
                        values.put("sessions", r.activeSessions());
                    }
                    if (r.capacity() != null) {
                        values.put("capacity", r.capacity());
                    }
                    load.put(r.name(), values);
                }));
        return load;
    }

    /** The bounded decision history from the platform's status (newest last). */
    @GET
    @Path("/history")
    public List<HistoryEntry> history(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        RealtimePlatform platform = RequestedPlatform.get(client, namespace, name);
        return platform.getStatus() == null ? List.of() : platform.getStatus().history;
    }

    /**
     * Every region as the platform's status reports it: health, breakers, DNS weight, ready
     * replicas, sessions and capacity, last heartbeat.
     */
    @GET
    @Path("/regions")
    public List<RegionStatus> regions(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        RealtimePlatform platform = RequestedPlatform.get(client, namespace, name);
        return platform.getStatus() == null ? List.of() : platform.getStatus().regions;
    }
}
