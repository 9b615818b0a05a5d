package dev.lifeline.media.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SignalingEndpointsTest {

    @Test
    void ownRegionFirstThenTheOthersAsListed() {
        SignalingEndpoints endpoints = SignalingEndpoints.parse("eu-west-1", List.of(
                "us-east-1=ws://media-us.example.com:8080/signal", "eu-west-1=wss://media-eu.example.com/signal",
                "ap-south-1=ws://203.0.113.7:8080/signal"));

        assertThat(endpoints.ordered()).containsExactly("wss://media-eu.example.com/signal",
                "ws://media-us.example.com:8080/signal", "ws://203.0.113.7:8080/signal");
        assertThat(endpoints.skipped()).isEmpty();
    }

    @Test
    void entriesThatAreNotRegionEqualsWebSocketUrlAreSkippedAndNamed() {
        SignalingEndpoints endpoints = SignalingEndpoints.parse("us-east-1", List.of("ws://no-region:8080/signal",
                "=ws://no-name/signal", "eu-west-1=http://media-eu.example.com/signal", "ap-south-1=ws://",
                "sa-east-1=ws://[bad", " ", "us-west-2= ws://media-usw.example.com:8080/signal ",
                "us-west-2=ws://media-usw.example.com:8080/signal"));

        assertThat(endpoints.ordered()).containsExactly("ws://media-usw.example.com:8080/signal");
        assertThat(endpoints.skipped()).containsExactly("ws://no-region:8080/signal", "=ws://no-name/signal",
                "eu-west-1=http://media-eu.example.com/signal", "ap-south-1=ws://", "sa-east-1=ws://[bad");
    }
}
