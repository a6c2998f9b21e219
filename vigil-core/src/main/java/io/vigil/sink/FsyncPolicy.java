package io.vigil.sink;

/** When a file sink forces written bytes to the storage device. */
public enum FsyncPolicy {
    /** Never explicitly; the operating system writes back when it likes. Fastest; a crash may lose recent events. */
    NONE("none"),
    /** Once per batch, before the batch's receipts complete (group commit). */
    BATCH("batch"),
    /** After every event. Slowest. */
    ALWAYS("always");

    private final String configName;

    FsyncPolicy(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files. */
    public String configName() {
        return configName;
    }
}
