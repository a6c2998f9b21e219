package io.vigil.example.gateway.api;

import io.vigil.example.gateway.domain.Report;
import io.vigil.example.gateway.domain.ReportCatalog;
import io.vigil.example.gateway.domain.SearchRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /api/search?q=}: the caller's reports whose title contains {@code q}. Rate limited per user; a refused
 * search answers 429 with {@code Retry-After} and is audited through the Logback bridge (an SLF4J call with the
 * {@code AUDIT} marker).
 */
@RestController
public class SearchController {
    private static final Logger log = LoggerFactory.getLogger(SearchController.class);
    private static final Marker AUDIT = MarkerFactory.getMarker("AUDIT");

    private final ReportCatalog reports;
    private final SearchRateLimiter limiter;

    public SearchController(ReportCatalog reports, SearchRateLimiter limiter) {
        this.reports = reports;
        this.limiter = limiter;
    }

    @GetMapping("/api/search")
    public ResponseEntity<List<Report>> search(Authentication user, @RequestParam(defaultValue = "") String q) {
        Optional<Duration> wait = limiter.acquire(user.getName());
        if (wait.isPresent()) {
            long retryAfterMs = Math.max(1, wait.get().toMillis());
            log.atWarn().addMarker(AUDIT)
                    .addKeyValue("type", "rate_limit.request.limited")
                    .addKeyValue("actor", user.getName())
                    .addKeyValue("retryAfterMs", retryAfterMs)
                    .addKeyValue("limit", "search")
                    .log("search rate limit reached");
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf((retryAfterMs + 999) / 1000))
                    .build();
        }
        String needle = q.toLowerCase(Locale.ROOT);
        return ResponseEntity.ok(reports.ownedBy(user.getName()).stream()
                .filter(r -> r.title().toLowerCase(Locale.ROOT).contains(needle))
                .toList());
    }
}
