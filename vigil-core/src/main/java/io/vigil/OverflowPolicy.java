package io.vigil;

/** What {@code record} does when the pipeline's queue is full. */
public enum OverflowPolicy {
    /**
     * Wait up to the configured block timeout for space; if none frees up the event is dropped as with
     * {@link #DROP}. Bounds the caller's delay while favouring completeness.
     */
    BLOCK("block"),
    /** Return at once; the event is not written, the {@code dropped} counter rises, a WARN is logged at a bounded rate. */
    DROP("drop"),
    /** Throw {@link AuditOverflowException} to the caller: fail closed, the action should not proceed unaudited. */
    FAIL("fail");

    private final String configName;

    OverflowPolicy(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files. */
    public String configName() {
        return configName;
    }
}
