package dev.lifeline.operator.api;

import java.util.Comparator;
import java.util.List;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/**
 * What the generator cannot express through annotations: printer columns in the order they are
 * declared on {@link RealtimePlatform} (the generator sorts them by name), and descriptions of
 * the resource itself, its spec and its status, so that {@code kubectl explain rtp} explains.
 */
class CrdPolish implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        List<String> declared = java.util.Arrays.stream(
                RealtimePlatform.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        for (CustomResourceDefinitionVersion version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
            version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            root.setDescription("A real-time communication platform (media servers, signaling, a DynamoDB session table "
                    + "and Route 53 records) that Lifeline deploys and keeps alive across failures. Apply the same "
                    + "resource in the cluster of every region in spec.regions.");
            root.getProperties().get("spec").setDescription("Desired state: regions, workloads, session store, DNS and "
                    + "failover policy.");
            root.getProperties().get("status").setDescription("Observed state, written by the operator.");
        }
        return crd;
    }
}
