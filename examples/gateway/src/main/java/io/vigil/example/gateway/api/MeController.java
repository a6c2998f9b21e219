package io.vigil.example.gateway.api;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /api/me}: who the request is authenticated as. */
@RestController
public class MeController {

    @GetMapping("/api/me")
    public Me me(Authentication authentication) {
        return new Me(authentication.getName(),
                authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList());
    }

    /** The caller's name and authorities. */
    public record Me(String username, List<String> authorities) {
    }
}
