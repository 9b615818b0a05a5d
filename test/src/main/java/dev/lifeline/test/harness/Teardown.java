package dev.lifeline.test.harness;

/** Stops what a test started, in the given order, every one of them even when an earlier one fails. */
public final class Teardown {

    private Teardown() {
    }

    /**
     * Closes each non-null resource in order (start them in reverse: the operator before the node,
     * the node before its region). The first failure is rethrown after all were tried, later ones suppressed.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
