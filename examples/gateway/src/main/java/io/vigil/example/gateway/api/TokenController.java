package io.vigil.example.gateway.api;

import io.vigil.example.gateway.domain.ApiToken;
import io.vigil.example.gateway.domain.ApiTokens;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/**
 * {@code POST /api/tokens} issues an API token to the caller (shown once); {@code DELETE /api/tokens/{id}} revokes
 * one (its owner or an admin). The token then works as {@code Authorization: Bearer} on {@code /api/**}.
 */
@RestController
public class TokenController {
    private final ApiTokens tokens;

    public TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/api/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    public IssuedToken issue(Authentication user) {
        ApiToken t = tokens.issue(user.getName());
        return new IssuedToken(t.id(), t.secret(), t.expiresAt());
    }

    @DeleteMapping("/api/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void revoke(@PathVariable String id, Authentication user) {
        tokens.revoke(id, user.getName());
    }

    /** What the caller gets once: the token's id, the token, and when it expires. */
    public record IssuedToken(String id, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[id=" + id + "]"; // never the token
        }
    }
}
