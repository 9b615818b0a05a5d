package dev.lifeline.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.TestPlatforms;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** What the informer caches keep: everything the operator reads, nothing it does not. */
class CacheStoresTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void aDependentKeepsItsServerSideApplyEntryForTheMatcherAndDropsTheStatusWriters() {
        Deployment deployment = deployment();
        Deployment expected = JSON.clone(deployment);
        expected.getMetadata().setManagedFields(List.of(deployment.getMetadata().getManagedFields().get(0)));
        expected.getMetadata().getAnnotations().remove(LeanObjects.LAST_APPLIED);

        AppliedFieldsOnlyStore<Deployment> store = new AppliedFieldsOnlyStore<>();
        store.put("rtc/meet-media-server", deployment);
        Deployment cached = store.get("rtc/meet-media-server");

        assertThat(cached.getMetadata().getManagedFields()).singleElement()
                .satisfies(e -> assertThat(e.getManager()).isEqualTo("realtimeplatform"));
        assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey(LeanObjects.LAST_APPLIED);
        assertThat(JSON.asJson(cached)).as("otherwise the same, managed fields included").isEqualTo(JSON.asJson(expected));
        assertThat(cached).isEqualTo(expected);
    }

    @Test
    void aPlatformIsCachedWithoutManagedFieldsAndOtherwiseUnchanged() {
        RealtimePlatform platform = TestPlatforms.platform("meet", "us-east-1");
        platform.getMetadata().setManagedFields(List.of(entry("kubectl", "Update"), entry("realtimeplatform", "Apply")));
        RealtimePlatform expected = JSON.clone(platform);
        expected.getMetadata().setManagedFields(null);

        WithoutManagedFieldsStore<RealtimePlatform> store = new WithoutManagedFieldsStore<>();
        store.put("rtc/meet", platform);

        assertThat(JSON.asJson(store.get("rtc/meet"))).isEqualTo(JSON.asJson(expected));
    }

    @Test
    void everyEmptyMapIsOneSharedMapAndTheObjectStillEqualsAndSerializesAsBefore() {
        Deployment deployment = deployment();
        Deployment copy = JSON.clone(deployment);

        SharedValues.share(deployment);

        assertThat(deployment).isEqualTo(copy);
        assertThat(JSON.asJson(deployment)).isEqualTo(JSON.asJson(copy));
        assertThat(deployment.getSpec().getTemplate().getSpec().getAdditionalProperties())
                .isSameAs(deployment.getMetadata().getAdditionalProperties()).isEmpty();
        Map<String, Object> fields = deployment.getMetadata().getManagedFields().get(0).getFieldsV1()
                .getAdditionalProperties();
        assertThat(((Map<?, ?>) fields.get("f:spec")).get("f:replicas"))
                .isSameAs(deployment.getMetadata().getAdditionalProperties());
        assertThat(JSON.clone(deployment).getMetadata().getAdditionalProperties()).as("a copy can be changed again")
                .isNotSameAs(deployment.getMetadata().getAdditionalProperties());
    }

    @Test
    void twoPlatformsObjectsOfAKindShareEveryManagedFieldsBranchButTheOneNamingTheirOwner() {
        AppliedFieldsOnlyStore<Deployment> store = new AppliedFieldsOnlyStore<>();
        store.put("rtc/a", deploymentOwnedBy("uid-a"));
        store.put("rtc/b", deploymentOwnedBy("uid-b"));

        Map<String, Object> a = appliedTree(store.get("rtc/a"));
        Map<String, Object> b = appliedTree(store.get("rtc/b"));
        assertThat(b).as("the owner's uid differs").isNotEqualTo(a);
        assertThat(b.get("f:spec")).as("the spec branch is one copy").isSameAs(a.get("f:spec"))
                .isEqualTo(Map.of("f:replicas", Map.of(), "f:template", Map.of("f:spec", Map.of("f:containers",
                        Map.of("k:{\"name\":\"media\"}", Map.of("f:image", Map.of(), "f:name", Map.of()))))));
        assertThat(((Map<?, ?>) b.get("f:metadata")).get("f:labels"))
                .isSameAs(((Map<?, ?>) a.get("f:metadata")).get("f:labels"));

        store.put("rtc/c", deploymentOwnedBy("uid-a"));
        assertThat(appliedTree(store.get("rtc/c"))).as("an equal tree is one copy as a whole").isSameAs(a);
    }

    @Test
    void stringsThatRepeatAcrossPlatformsAreOneCopyAndTheObjectsStayEqual() {
        Deployment meet = JSON.clone(MediaServerDeploymentDependent.build(
                TestPlatforms.platform("meet", "us-east-1"), "us-east-1"));
        Deployment talk = JSON.clone(MediaServerDeploymentDependent.build(
                TestPlatforms.platform("talk", "us-east-1"), "us-east-1"));
        Deployment meetCopy = JSON.clone(meet);
        String image = meet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(talk.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .as("read apart, equal strings are two copies").isEqualTo(image).isNotSameAs(image);

        AppliedFieldsOnlyStore<Deployment> store = new AppliedFieldsOnlyStore<>();
        store.put("rtc/meet-media-server", meet);
        store.put("rtc/talk-media-server", talk);

        Deployment cachedMeet = store.get("rtc/meet-media-server");
        Deployment cachedTalk = store.get("rtc/talk-media-server");
        assertThat(cachedMeet).isEqualTo(meetCopy);
        assertThat(JSON.asJson(cachedMeet)).isEqualTo(JSON.asJson(meetCopy));
        assertThat(cachedTalk.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isSameAs(cachedMeet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        String component = "app.kubernetes.io/component";
        assertThat(cachedTalk.getMetadata().getLabels().get(component)).as("a label's value")
                .isSameAs(cachedMeet.getMetadata().getLabels().get(component));
        assertThat(cachedTalk.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                .getCapabilities().getDrop().get(0)).as("a list's string").isSameAs(cachedMeet.getSpec().getTemplate()
                        .getSpec().getContainers().get(0).getSecurityContext().getCapabilities().getDrop().get(0));
    }

    private static Map<String, Object> appliedTree(Deployment deployment) {
        return deployment.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
    }

    /** A media-server Deployment with the operator's apply entry as the API server writes it: owner by uid. */
    private static Deployment deploymentOwnedBy(String uid) {
        Deployment deployment = deployment();
        FieldsV1 fields = JSON.unmarshal("""
                {"f:metadata": {"f:labels": {"f:app.kubernetes.io/name": {}},
                                "f:ownerReferences": {"k:{\\"uid\\":\\"%s\\"}": {}}},
                 "f:spec": {"f:replicas": {},
                            "f:template": {"f:spec": {"f:containers": {"k:{\\"name\\":\\"media\\"}": {
                                "f:image": {}, "f:name": {}}}}}}}
                """.formatted(uid), FieldsV1.class);
        deployment.getMetadata().getManagedFields().get(0).setFieldsV1(fields);
        return deployment;
    }

    /** The media-server Deployment as the API server returns it: the operator's apply, the controller's status. */
    private static Deployment deployment() {
        Deployment deployment = JSON.clone(MediaServerDeploymentDependent.build(
                TestPlatforms.platform("meet", "us-east-1"), "us-east-1"));
        deployment.getMetadata().setManagedFields(List.of(entry("realtimeplatform", "Apply"),
                entry("kube-controller-manager", "Update")));
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        if (deployment.getMetadata().getAnnotations() != null) {
            annotations.putAll(deployment.getMetadata().getAnnotations());
        }
        annotations.put(LeanObjects.LAST_APPLIED, "{\"kind\":\"Deployment\"}");
        deployment.getMetadata().setAnnotations(annotations);
        return deployment;
    }

    private static ManagedFieldsEntry entry(String manager, String operation) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty("f:spec", new java.util.LinkedHashMap<>(Map.of("f:replicas",
                new java.util.LinkedHashMap<>())));
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).withApiVersion("apps/v1")
                .withFieldsType("FieldsV1").withFieldsV1(fields).build();
    }
}
