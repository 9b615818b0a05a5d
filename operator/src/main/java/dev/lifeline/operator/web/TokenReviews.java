package dev.lifeline.operator.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.lifeline.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Authentication of REST callers by the API server: a bearer token is whoever the API server's
 * TokenReview says it is (ServiceAccount tokens, OIDC, whatever the cluster accepts), so the
 * operator keeps no users of its own. Answers are cached briefly and in bounded number, keyed by
 * the token's SHA-256 (the token itself is kept nowhere), so a page polling every few seconds
 * costs the API server one review per cache period. A failed review call is not cached.
 */
@ApplicationScoped
public class TokenReviews {

    private final KubernetesClient client;
    private final Cache<String, Optional<Caller>> answers;

    public TokenReviews(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.answers = Caffeine.newBuilder().expireAfterWrite(config.web().reviewCacheTtl())
                .maximumSize(config.web().reviewCacheSize()).build();
    }

    /** The authenticated caller, or empty when the API server does not accept the token. */
    public Optional<Caller> authenticate(String token) {
        return answers.get(sha256(token), key -> review(token));
    }

    private Optional<Caller> review(String token) {
        TokenReview review = client.authentication().v1().tokenReviews()
                .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
        if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
            return Optional.empty();
        }
        UserInfo user = review.getStatus().getUser();
        return Optional.of(new Caller(user.getUsername(), user.getUid(),
                user.getGroups() == null ? List.of() : List.copyOf(user.getGroups()),
                user.getExtra() == null ? Map.of() : Map.copyOf(user.getExtra())));
    }

    private static String sha256(String token) {
        return DigestUtils.sha256Hex(token);
    }
}
