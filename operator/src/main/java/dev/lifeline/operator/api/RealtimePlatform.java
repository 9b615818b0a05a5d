package dev.lifeline.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A real-time communication platform (media servers, signaling, session store, DNS) that
 * Lifeline deploys and keeps alive across failures. The same resource is applied in the cluster
 * of every region listed in {@code spec.regions}.
 */
@Group(RealtimePlatform.GROUP)
@Version(RealtimePlatform.VERSION)
@ShortNames("rtp")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Regions", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.regions[*].name")
@AdditionalPrinterColumn(name = "Healthy", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.healthyRegions")
@AdditionalPrinterColumn(name = "Sessions", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.activeSessions")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class RealtimePlatform extends CustomResource<RealtimePlatformSpec, RealtimePlatformStatus>
        implements Namespaced {
    public static final String GROUP = "lifeline.dev";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "realtimeplatforms." + GROUP;
}
