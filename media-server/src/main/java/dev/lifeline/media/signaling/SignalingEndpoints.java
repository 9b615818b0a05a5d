package dev.lifeline.media.signaling;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pure: the signaling endpoints of the serving regions, as the operator hands them over
 * ({@code LIFELINE_SIGNALING_ENDPOINTS}: {@code region=ws://host:port/signal}, comma-separated), ordered for the
 * join and resume replies: this instance's region first, then the others as listed. Entries that are not
 * {@code region=ws[s]://...} are skipped and reported, so a bad setting costs the clients a fallback, never a join.
 */
public record SignalingEndpoints(List<String> ordered, List<String> skipped) {

    public SignalingEndpoints {
        ordered = List.copyOf(ordered);
        skipped = List.copyOf(skipped);
    }

    public static SignalingEndpoints parse(String ownRegion, List<String> entries) {
        List<String> own = new ArrayList<>();
        List<String> others = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            int equals = trimmed.indexOf('=');
            String url = equals < 0 ? null : trimmed.substring(equals + 1).trim();
            if (equals <= 0 || !isWebSocketUrl(url)) {
                if (!trimmed.isEmpty()) {
                    skipped.add(trimmed);
                }
                continue;
            }
            List<String> list = trimmed.substring(0, equals).trim().equals(ownRegion) ? own : others;
            if (!own.contains(url) && !others.contains(url)) {
                list.add(url);
            }
        }
        own.addAll(others);
        return new SignalingEndpoints(own, skipped);
    }

    private static boolean isWebSocketUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("ws") || scheme.equals("wss")) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
