package dev.lifeline.operator.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a REST call needs, decided from its method and path alone (pure): every path under
 * {@code /api/} is about one {@code RealtimePlatform}, and the caller needs {@code get} on it to
 * read and {@code patch} to change anything (start a drill), the verbs {@code kubectl} would need
 * for the same. A path under {@code /api/} that names no platform needs a permission nobody is
 * granted, so a resource added later without a rule here is closed, not open.
 */
public record RequiredAccess(String namespace, String name, String verb) {

    public static final String GROUP = "lifeline.dev";
    public static final String RESOURCE = "realtimeplatforms";
    public static final String READ = "get";
    public static final String CHANGE = "patch";

    private static final Pattern PLATFORM = Pattern.compile("^/?api/v1/namespaces/([^/]+)/realtimeplatforms/([^/]+)(/.*)?$");
    private static final Pattern API = Pattern.compile("^/?api(/.*)?$");

    /** Empty when the path is not the API (the page's files, health probes, metrics). */
    public static Optional<Decision> of(String method, String path) {
        if (!API.matcher(path).matches()) {
            return Optional.empty();
        }
        Matcher platform = PLATFORM.matcher(path);
        if (!platform.matches()) {
            return Optional.of(new Decision(null));
        }
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> READ;
            default -> CHANGE;
        };
        return Optional.of(new Decision(new RequiredAccess(platform.group(1), platform.group(2), verb)));
    }

    /** An API call: the access it needs, or none that can be granted (an unknown API path). */
    public record Decision(RequiredAccess access) {
        public boolean grantable() {
            return access != null;
        }
    }

    @Override
    public String toString() {
        return verb + " " + GROUP + "/" + RESOURCE + " " + name + " in namespace " + namespace;
    }
}
