package io.vigil.example.gateway.api;

import io.vigil.example.gateway.domain.Report;
import io.vigil.example.gateway.domain.ReportService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/reports/{id}} and {@code GET /api/reports/{id}/export}: the owner's or an admin's. */
@RestController
public class ReportController {
    private final ReportService reports;

    public ReportController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping("/api/reports/{id}")
    public Report read(@PathVariable String id) {
        return reports.read(id);
    }

    @GetMapping("/api/reports/{id}/export")
    public ResponseEntity<String> export(@PathVariable String id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, "text/csv")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".csv\"")
                .body(reports.export(id));
    }
}
