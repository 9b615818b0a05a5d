package dev.lifeline.media.token;

import java.util.regex.Pattern;

/** The one rule for session, participant and instance ids: short, URL- and key-safe. */
public final class Ids {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private Ids() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
