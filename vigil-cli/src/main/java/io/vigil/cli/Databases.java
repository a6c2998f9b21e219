package io.vigil.cli;

import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.sql.SQLException;
import java.util.Locale;

/**
 * Ledger arguments that name a PostgreSQL database: {@code jdbc:postgresql://host[:port]/database[?user=…]}. The user
 * and password may also come from {@code PGUSER} and {@code PGPASSWORD}, which keeps the password off the command
 * line; no password is ever printed.
 */
final class Databases {
    private Databases() {
    }

    /** True when the argument is a JDBC URL rather than a directory. */
    static boolean isJdbc(String arg) {
        return arg.regionMatches(true, 0, "jdbc:", 0, 5);
    }

    /** A data source for the URL, or a usage error that says what a valid one looks like. */
    static PGSimpleDataSource dataSource(CommandLine cl, String url) {
        if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
            throw new ParameterException(cl, "'" + redacted(url) + "' is not a PostgreSQL URL; a database ledger is"
                    + " named jdbc:postgresql://HOST[:PORT]/DATABASE (user and password from PGUSER and PGPASSWORD,"
                    + " or ?user=NAME)");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "'" + redacted(url) + "' is not a valid PostgreSQL URL: " + e.getMessage());
        }
        String user = System.getenv("PGUSER");
        if ((ds.getUser() == null || ds.getUser().isEmpty()) && user != null && !user.isEmpty()) {
            ds.setUser(user);
        }
        String password = System.getenv("PGPASSWORD");
        if (ds.getPassword() == null && password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** The URL without a password, for messages. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** A usage-level explanation of why the database could not be used, with the URL redacted. */
    static String explain(String url, Exception e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof SQLException)) {
            t = t.getCause();
        }
        return redacted(url) + ": " + redacted(String.valueOf(t.getMessage()));
    }
}
