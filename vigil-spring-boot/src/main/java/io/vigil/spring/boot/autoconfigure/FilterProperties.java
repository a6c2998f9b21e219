package io.vigil.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * A filter's keys, as in {@code docs/configuration.md}: the log's own ({@code vigil.categories}, …) and each extra
 * sink's ({@code vigil.sinks[i].filter.categories}, …).
 */
public class FilterProperties {

    /** Categories kept ("all", or a list of auth, authz, admin, config, rate_limit, channel, session, data, security, audit). */
    private List<String> categories = new ArrayList<>();

    /** Outcomes kept ("all", or a list of success, failure, denied, error); not together with min-outcome. */
    private List<String> outcomes = new ArrayList<>();

    /** Keep outcomes at least this notable: success, failure, denied or error. */
    private String minOutcome;

    /** Keep events of at least this severity: info, low, medium, high or critical. */
    private String minSeverity;

    private final Types types = new Types();

    public List<String> getCategories() { return categories; }
    public void setCategories(List<String> v) { categories = v; }
    public List<String> getOutcomes() { return outcomes; }
    public void setOutcomes(List<String> v) { outcomes = v; }
    public String getMinOutcome() { return minOutcome; }
    public void setMinOutcome(String v) { minOutcome = v; }
    public String getMinSeverity() { return minSeverity; }
    public void setMinSeverity(String v) { minSeverity = v; }
    public Types getTypes() { return types; }

    /** Type patterns: an exact name, a prefix ending in ".*", or "*". */
    public static class Types {
        /** When not empty, keep only events whose type matches one of these. */
        private List<String> include = new ArrayList<>();
        /** Drop events whose type matches one of these. */
        private List<String> exclude = new ArrayList<>();

        public List<String> getInclude() { return include; }
        public void setInclude(List<String> v) { include = v; }
        public List<String> getExclude() { return exclude; }
        public void setExclude(List<String> v) { exclude = v; }
    }
}
