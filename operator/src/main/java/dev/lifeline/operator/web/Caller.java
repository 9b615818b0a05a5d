package dev.lifeline.operator.web;

import java.util.List;
import java.util.Map;

/** Who called, as the API server's TokenReview says: what a SubjectAccessReview asks about. */
public record Caller(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
}
