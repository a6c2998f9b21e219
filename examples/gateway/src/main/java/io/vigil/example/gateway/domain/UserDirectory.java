package io.vigil.example.gateway.domain;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gateway's users, in memory, passwords stored as BCrypt hashes. Spring Security authenticates against it; the
 * admin API and the password change edit it.
 */
public final class UserDirectory implements UserDetailsService {
    private final ConcurrentMap<String, UserDetails> users = new ConcurrentHashMap<>();
    private final PasswordEncoder encoder;

    public UserDirectory(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    /** The demo users: two users, an admin, a locked and a disabled account. */
    public static UserDirectory withDemoUsers(PasswordEncoder encoder) {
        UserDirectory d = new UserDirectory(encoder);
        d.put(User.withUsername("alice").password(encoder.encode("alice-password")).roles("USER").build());
        d.put(User.withUsername("bob").password(encoder.encode("bob-password")).roles("USER").build());
        d.put(User.withUsername("admin").password(encoder.encode("admin-password")).roles("USER", "ADMIN").build());
        d.put(User.withUsername("locked").password(encoder.encode("locked-password")).roles("USER")
                .accountLocked(true).build());
        d.put(User.withUsername("disabled").password(encoder.encode("disabled-password")).roles("USER")
                .disabled(true).build());
        return d;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserDetails u = users.get(username);
        if (u == null) {
            throw new UsernameNotFoundException("no such user");
        }
        // a copy: Spring Security erases the password of what it authenticated
        return User.withUserDetails(u).build();
    }

    public Optional<UserDetails> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    public List<UserDetails> list() {
        return users.values().stream().sorted(Comparator.comparing(UserDetails::getUsername)).toList();
    }

    /** Adds a user with the given roles (without the ROLE_ prefix). */
    public UserDetails create(String username, String rawPassword, List<String> roles) {
        UserDetails u = User.withUsername(username).password(encoder.encode(rawPassword))
                .roles(roles.toArray(String[]::new)).build();
        if (users.putIfAbsent(username, u) != null) {
            throw new UserExistsException(username);
        }
        return u;
    }

    /** Disables the account: its password no longer signs in. */
    public UserDetails suspend(String username) {
        UserDetails u = users.computeIfPresent(username, (k, old) -> User.withUserDetails(old).disabled(true).build());
        if (u == null) {
            throw new UnknownUserException(username);
        }
        return u;
    }

    /**
     * Locks the account, as the detectors ask when it is under brute force: its password no longer signs in until an
     * admin acts.
     *
     * @return whether there was such an account (a name an attacker guessed may be no account at all)
     */
    public boolean lock(String username) {
        return users.computeIfPresent(username, (k, old) -> User.withUserDetails(old).accountLocked(true).build())
                != null;
    }

    public void delete(String username) {
        if (users.remove(username) == null) {
            throw new UnknownUserException(username);
        }
    }

    /** Whether {@code rawPassword} is the user's current password. */
    public boolean passwordMatches(String username, String rawPassword) {
        UserDetails u = users.get(username);
        return u != null && encoder.matches(rawPassword, u.getPassword());
    }

    public void setPassword(String username, String rawPassword) {
        String hash = encoder.encode(rawPassword);
        if (users.computeIfPresent(username, (k, old) -> User.withUserDetails(old).password(hash).build()) == null) {
            throw new UnknownUserException(username);
        }
    }

    private void put(UserDetails u) {
        users.put(u.getUsername(), u);
    }
}
