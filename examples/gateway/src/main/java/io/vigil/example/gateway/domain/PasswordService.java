package io.vigil.example.gateway.domain;

import io.vigil.spring.Audited;
import org.springframework.stereotype.Service;

/** Password changes by the signed-in user, who must know the current password. */
@Service
public class PasswordService {
    private static final int MIN_LENGTH = 12;

    private final UserDirectory users;

    public PasswordService(UserDirectory users) {
        this.users = users;
    }

    /**
     * Changes {@code username}'s password.
     *
     * @throws WrongPasswordException when {@code current} is not the user's password (recorded as a failed change)
     * @throws WeakPasswordException  when the new password is too short
     */
    @Audited(type = "auth.password.changed", targetType = "user", targetId = "#username")
    public void change(String username, String current, String newPassword) {
        if (!users.passwordMatches(username, current)) {
            throw new WrongPasswordException();
        }
        if (newPassword.length() < MIN_LENGTH) {
            throw new WeakPasswordException(MIN_LENGTH);
        }
        users.setPassword(username, newPassword);
    }
}
