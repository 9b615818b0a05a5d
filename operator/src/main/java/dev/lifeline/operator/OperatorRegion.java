package dev.lifeline.operator;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The region this operator runs in, for code that JOSDK instantiates itself (dependent
 * resources) and so cannot receive {@link OperatorConfig} by injection. Pure builders take the
 * region as a parameter; only the glue calls this.
 */
public final class OperatorRegion {

    private OperatorRegion() {
    }

    public static String current() {
        return ConfigProvider.getConfig().getValue("lifeline.region", String.class);
    }
}
