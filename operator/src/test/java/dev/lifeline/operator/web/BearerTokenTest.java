package dev.lifeline.operator.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void takesTheTokenOfABearerHeaderWhateverTheSchemesCase() {
        assertThat(BearerToken.from("Bearer abc.def")).hasValue("abc.def");
        assertThat(BearerToken.from("bearer   abc ")).hasValue("abc");
    }

    @Test
    void anythingElseIsNoToken() {
        assertThat(BearerToken.from(null)).isEmpty();
        assertThat(BearerToken.from("")).isEmpty();
        assertThat(BearerToken.from("Bearer ")).isEmpty();
        assertThat(BearerToken.from("Bearer    ")).isEmpty();
        assertThat(BearerToken.from("Basic dXNlcjpwYXNz")).isEmpty();
        assertThat(BearerToken.from("Bearerabc")).isEmpty();
    }
}
