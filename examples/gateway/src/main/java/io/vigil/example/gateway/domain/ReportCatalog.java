package io.vigil.example.gateway.domain;

import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reports and their owners; method security asks it who owns a report. */
@Component("reportCatalog")
public class ReportCatalog {
    private final Map<String, Report> reports = Map.of(
            "r-alice-1", new Report("r-alice-1", "alice", "Travel expenses Q3", 412),
            "r-bob-1", new Report("r-bob-1", "bob", "Vendor payments Q3", 1200));

    public Optional<Report> find(String id) {
        return Optional.ofNullable(reports.get(id));
    }

    /** The reports {@code username} owns. */
    public List<Report> ownedBy(String username) {
        return reports.values().stream().filter(r -> r.owner().equals(username))
                .sorted(Comparator.comparing(Report::id)).toList();
    }

    /** Whether {@code username} owns the report; false for an unknown report. */
    public boolean isOwner(String id, String username) {
        return find(id).map(r -> r.owner().equals(username)).orElse(false);
    }
}
