package io.vigil.logback;

/**
 * What the bridge did with the log events that carried an audit marker. Every such event is counted in exactly one
 * of these.
 *
 * @param mapped   recorded under the type the event named (a catalogue or OWASP vocabulary name)
 * @param unmapped recorded under {@code security.event.unmapped}: the event named no type, or one that maps to none
 * @param failed   not recorded: the recorder refused it (an invalid value, a full queue, a closed log)
 * @param dropped  not recorded: the buffer that holds events until a recorder is bound was full, or the appender
 *                 stopped while events still waited there
 * @param ignored  not recorded on purpose: logged by Vigil's own classes, or by the recorder while it recorded
 * @param pending  waiting in the buffer for a recorder to be bound
 */
public record BridgeCounters(long mapped, long unmapped, long failed, long dropped, long ignored, long pending) {

    /** Zero everywhere. */
    public static final BridgeCounters ZERO = new BridgeCounters(0, 0, 0, 0, 0, 0);

    /** The sum of two appenders' counters. */
    public BridgeCounters plus(BridgeCounters other) {
        return new BridgeCounters(mapped + other.mapped, unmapped + other.unmapped, failed + other.failed,
                dropped + other.dropped, ignored + other.ignored, pending + other.pending);
    }

    /** Events that reached the recorder: mapped and unmapped. */
    public long recorded() {
        return mapped + unmapped;
    }
}
