package io.vigil.example.gateway.api;

import io.vigil.example.gateway.domain.GatewaySettings;
import io.vigil.example.gateway.domain.UserAdministration;
import io.vigil.example.gateway.domain.UserAdministration.UserView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code /api/admin/**}: users and settings, for admins (the filter chain checks the role). */
@RestController
public class AdminController {
    private final UserAdministration users;
    private final GatewaySettings settings;

    public AdminController(UserAdministration users, GatewaySettings settings) {
        this.users = users;
        this.settings = settings;
    }

    @GetMapping("/api/admin/users")
    public List<UserView> users() {
        return users.list();
    }

    @PostMapping("/api/admin/users")
    @ResponseStatus(HttpStatus.CREATED)
    public UserView create(@RequestBody NewUser request) {
        return users.create(request.username(), request.password(), request.roles());
    }

    @PostMapping("/api/admin/users/{name}/suspend")
    public UserView suspend(@PathVariable String name) {
        return users.suspend(name);
    }

    @DeleteMapping("/api/admin/users/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name) {
        users.delete(name);
    }

    @GetMapping("/api/admin/settings")
    public Map<String, String> settings() {
        return settings.current();
    }

    @PutMapping("/api/admin/settings")
    public Map<String, String> changeSettings(@RequestBody Map<String, String> changes) {
        return settings.change(changes);
    }

    /**
     * A user to create; roles without the {@code ROLE_} prefix, {@code USER} when none are given.
     */
    public record NewUser(String username, String password, List<String> roles) {
        public NewUser {
            if (username == null || !username.matches("[a-z][a-z0-9._-]{1,63}")) {
                throw new IllegalArgumentException("username must be 2 to 64 of a-z 0-9 . _ -, starting with a letter");
            }
            Objects.requireNonNull(password, "password");
            if (password.length() < 12) {
                throw new IllegalArgumentException("password needs at least 12 characters");
            }
            roles = roles == null || roles.isEmpty() ? List.of("USER") : List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "NewUser[username=" + username + ", roles=" + roles + "]"; // never the password
        }
    }
}
