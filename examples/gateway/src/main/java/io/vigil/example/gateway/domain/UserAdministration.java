package io.vigil.example.gateway.domain;

import io.vigil.spring.Audited;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Service;

import java.util.List;

/** The admin API's user changes, each one audited. The web layer already requires ROLE_ADMIN for them. */
@Service
public class UserAdministration {
    private final UserDirectory users;

    public UserAdministration(UserDirectory users) {
        this.users = users;
    }

    public List<UserView> list() {
        return users.list().stream().map(UserView::of).toList();
    }

    @Audited(type = "admin.user.created", targetType = "user", targetId = "#username", details = {"roles=#roles"})
    public UserView create(String username, String password, List<String> roles) {
        return UserView.of(users.create(username, password, roles));
    }

    @Audited(type = "admin.user.suspended", targetType = "user", targetId = "#name")
    public UserView suspend(String name) {
        return UserView.of(users.suspend(name));
    }

    @Audited(type = "admin.user.deleted", targetType = "user", targetId = "#name")
    public void delete(String name) {
        users.delete(name);
    }

    /** A user as the admin API shows it: never the password hash. */
    public record UserView(String username, List<String> roles, boolean enabled, boolean locked) {
        static UserView of(UserDetails u) {
            return new UserView(u.getUsername(),
                    u.getAuthorities().stream().map(a -> a.getAuthority()).sorted().toList(),
                    u.isEnabled(), !u.isAccountNonLocked());
        }
    }
}
