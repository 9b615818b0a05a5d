package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.ControlPlane;

/**
 * The harness's control plane keeps what etcd and kube-apiserver print, so that a control plane
 * that does not start says why (its output goes into the failure message and the retry warning).
 */
class ControlPlaneIT {

    @Test
    void keepsTheOutputOfEtcdAndTheApiServer() {
        try (ControlPlane plane = ControlPlane.start("output")) {
            assertThat(plane.client().namespaces().withName("default").get()).isNotNull();
            assertThat(ControlPlane.recentOutput()).contains("kube-apiserver: ");
        }
    }
}
