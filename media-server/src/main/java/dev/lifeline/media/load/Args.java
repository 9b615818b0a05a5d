package dev.lifeline.media.load;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults; enough for the benchmark tools. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            values.put(name, flag ? "true" : args[++i]);
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }

    long number(String name, long fallback) {
        return Long.parseLong(get(name, Long.toString(fallback)));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }
}
