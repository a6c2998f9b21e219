package io.vigil.example.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vigil.example.gateway.domain.PasswordService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/password}: the signed-in user changes their password. {@code POST /api/password-reset}: anyone
 * asks for a reset link for a user name; the answer is 202 whether or not the user exists, so it reveals nothing.
 * The reset request is audited the way an app that already logs its security events would: one SLF4J call with the
 * {@code AUDIT} marker, which Vigil's Logback bridge turns into a ledger entry.
 */
@RestController
public class PasswordController {
    private static final Logger log = LoggerFactory.getLogger(PasswordController.class);
    private static final Marker AUDIT = MarkerFactory.getMarker("AUDIT");

    private final PasswordService passwords;

    public PasswordController(PasswordService passwords) {
        this.passwords = passwords;
    }

    @PostMapping("/api/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void change(Authentication user, @RequestBody PasswordChange change) {
        passwords.change(user.getName(), change.current(), change.newPassword());
    }

    @PostMapping("/api/password-reset")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public void requestReset(@RequestBody ResetRequest request) {
        // a real gateway would e-mail a one-time link here
        log.atInfo().addMarker(AUDIT)
                .addKeyValue("type", "auth.password.reset.requested")
                .addKeyValue("targetType", "user")
                .addKeyValue("targetId", request.username())
                .log("password reset requested");
    }

    /** The current password and the new one ({@code "new"} in JSON). */
    public record PasswordChange(String current, @JsonProperty("new") String newPassword) {
        public PasswordChange {
            if (current == null || newPassword == null) {
                throw new IllegalArgumentException("current and new are required");
            }
        }

        @Override
        public String toString() {
            return "PasswordChange[]"; // never the passwords
        }
    }

    /** Whose password to reset. */
    public record ResetRequest(String username) {
        public ResetRequest {
            if (username == null || username.isBlank() || username.length() > 64) {
                throw new IllegalArgumentException("username is required (at most 64 characters)");
            }
        }
    }
}
