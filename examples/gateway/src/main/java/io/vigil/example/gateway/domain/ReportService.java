package io.vigil.example.gateway.domain;

import io.vigil.spring.Audited;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Reads and exports reports. Only the owner may, or an admin (a privileged read, recorded as a granted privileged
 * access besides the read itself). Every read and export is audited, denied ones too.
 */
@Service
public class ReportService {
    private static final String OWNER_OR_ADMIN = "hasRole('ADMIN') or @reportCatalog.isOwner(#id, authentication.name)";

    private final ReportCatalog catalog;

    public ReportService(ReportCatalog catalog) {
        this.catalog = catalog;
    }

    @Audited(type = "data.read", targetType = "report", targetId = "#id")
    @PreAuthorize(OWNER_OR_ADMIN)
    public Report read(String id) {
        return catalog.find(id).orElseThrow(() -> new ReportNotFoundException(id));
    }

    @Audited(type = "data.export", targetType = "report", targetId = "#id", details = {"format='csv'"})
    @PreAuthorize(OWNER_OR_ADMIN)
    public String export(String id) {
        Report r = catalog.find(id).orElseThrow(() -> new ReportNotFoundException(id));
        return "id,owner,title,rows\n" + r.id() + "," + r.owner() + ",\"" + r.title() + "\"," + r.rows() + "\n";
    }
}
