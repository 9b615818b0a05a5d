package dev.lifeline.operator.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequiredAccessTest {

    @Test
    void readingAPlatformNeedsGetOnIt() {
        assertThat(RequiredAccess.of("GET", "/api/v1/namespaces/rtc/realtimeplatforms/meet/health"))
                .hasValueSatisfying(d -> assertThat(d.access()).isEqualTo(new RequiredAccess("rtc", "meet", "get")));
        assertThat(RequiredAccess.of("HEAD", "api/v1/namespaces/rtc/realtimeplatforms/meet/history"))
                .hasValueSatisfying(d -> assertThat(d.access().verb()).isEqualTo("get"));
    }

    @Test
    void anythingElseOnAPlatformNeedsPatch() {
        assertThat(RequiredAccess.of("POST", "/api/v1/namespaces/rtc/realtimeplatforms/meet/drill"))
                .hasValueSatisfying(d -> assertThat(d.access()).isEqualTo(new RequiredAccess("rtc", "meet", "patch")));
        assertThat(RequiredAccess.of("delete", "/api/v1/namespaces/rtc/realtimeplatforms/meet"))
                .hasValueSatisfying(d -> assertThat(d.access().verb()).isEqualTo("patch"));
    }

    @Test
    void anApiPathWithoutAPlatformCannotBeGranted() {
        assertThat(RequiredAccess.of("GET", "/api/v1/namespaces/rtc")).hasValueSatisfying(d -> assertThat(d.grantable()).isFalse());
        assertThat(RequiredAccess.of("GET", "/api")).hasValueSatisfying(d -> assertThat(d.grantable()).isFalse());
        assertThat(RequiredAccess.of("GET", "/api/v1/namespaces//realtimeplatforms/x/health"))
                .hasValueSatisfying(d -> assertThat(d.grantable()).isFalse());
    }

    @Test
    void probesMetricsAndThePageNeedNothing() {
        assertThat(RequiredAccess.of("GET", "/q/health/ready")).isEmpty();
        assertThat(RequiredAccess.of("GET", "/q/metrics")).isEmpty();
        assertThat(RequiredAccess.of("GET", "/status/index.html")).isEmpty();
        assertThat(RequiredAccess.of("GET", "/apiary")).isEmpty();
    }
}
