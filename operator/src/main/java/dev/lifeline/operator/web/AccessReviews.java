package dev.lifeline.operator.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.lifeline.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authorization of REST callers by the API server's SubjectAccessReview: the caller may do what
 * the cluster's RBAC (or any authorizer it runs) lets them do to the {@code RealtimePlatform}
 * itself, so access to the page is granted with the same Roles as access to the resource.
 * Answers are cached like {@link TokenReviews}' (briefly, bounded); a failed call is not cached.
 */
@ApplicationScoped
public class AccessReviews {

    private final KubernetesClient client;
    private final Cache<Question, Boolean> answers;

    public AccessReviews(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.answers = Caffeine.newBuilder().expireAfterWrite(config.web().reviewCacheTtl())
                .maximumSize(config.web().reviewCacheSize()).build();
    }

    /** True when {@code caller} may do {@code access} (its verb on that platform). */
    public boolean allows(Caller caller, RequiredAccess access) {
        return answers.get(new Question(caller, access), this::review);
    }

    private boolean review(Question question) {
        SubjectAccessReview review = client.authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec()
                        .withUser(question.caller().username())
                        .withUid(question.caller().uid())
                        .withGroups(question.caller().groups())
                        .withExtra(question.caller().extra())
                        .withNewResourceAttributes()
                        .withGroup(RequiredAccess.GROUP)
                        .withResource(RequiredAccess.RESOURCE)
                        .withNamespace(question.access().namespace())
                        .withName(question.access().name())
                        .withVerb(question.access().verb())
                        .endResourceAttributes()
                        .endSpec().build());
        return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }

    private record Question(Caller caller, RequiredAccess access) {
    }
}
