package io.vigil.cli;

import io.vigil.server.ApiKey;
import io.vigil.server.ApiKeys;
import io.vigil.server.CreatedKey;
import io.vigil.server.Scope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code vigil keys}: the server's API keys, made, listed and revoked in its directory. */
@Command(name = "keys",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Manage the Vigil server's API keys, kept in DIR/keys.json.",
                "",
                "A key is 'vk_<id>_<secret>'. It belongs to one tenant and has scopes: ingest (send events), read"
                + " (events, proofs, checkpoints) and admin (verification, the tenant's keys). The secret is printed"
                + " once, when the key is made; the file keeps only its SHA-256 hash (0600, replaced atomically). A"
                + " running server sees new and revoked keys within a second or so.", ""},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class},
        footer = {"", "Examples:",
                "  vigil keys create --dir /srv/vigil --tenant acme --scope ingest --name shop",
                "  vigil keys list --dir /srv/vigil --tenant acme",
                "  vigil keys revoke --dir /srv/vigil 3kq7x2mzt5ab"})
final class KeysCommand implements Runnable {
    private static final String DIR_DESCRIPTION = "The server's directory; the keys are in DIR/keys.json.";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say which: 'vigil keys create', 'vigil keys list' or"
                + " 'vigil keys revoke'");
    }

    /** Opens the keys of an existing directory; a missing one is a mistake in the command, not an empty list. */
    private static ApiKeys openExisting(CommandLine cl, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cl, "--dir " + dir + (Files.exists(dir) ? " is not a directory"
                    : " does not exist; 'vigil keys create --dir " + dir + " ...' makes it with the first key"));
        }
        return ApiKeys.open(dir);
    }

    /** Reads {@code --scope} values: ingest, read or admin, in any case. */
    static final class ScopeConverter implements ITypeConverter<Scope> {
        @Override
        public Scope convert(String value) {
            for (Scope s : Scope.values()) {
                if (s.label().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a scope: use ingest, read or admin");
        }
    }

    // ------------------------------------------------------------------------------------------- create

    @Command(name = "create",
            mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
            description = {"Make an API key and print it as the only line on stdout; the rest goes to stderr.",
                    "",
                    "The key is shown this once: only its hash is stored, so a lost key cannot be recovered (revoke"
                    + " it and make another). DIR is created 0700 when missing.", ""},
            footer = {"", "Examples:",
                    "  vigil keys create --dir /srv/vigil --tenant acme --scope ingest --name shop",
                    "  vigil keys create --dir /srv/vigil --tenant acme --scope read --scope admin"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = DIR_DESCRIPTION)
        Path dir;

        @Option(names = "--tenant", required = true, paramLabel = "T",
                description = "The tenant the key belongs to: 1 to 63 lowercase letters, digits, '_' and '-',"
                        + " starting with a letter or digit.")
        String tenant;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE", converter = ScopeConverter.class,
                description = "What the key may do: ingest, read or admin; repeat for several.")
        List<Scope> scopes;

        @Option(names = "--name", paramLabel = "LABEL",
                description = "A label for people, e.g. where the key is used (at most " + ApiKey.MAX_NAME
                        + " characters).")
        String name;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new ParameterException(cl, "--dir " + dir + " is not a directory");
            }
            Set<Scope> wanted = EnumSet.copyOf(scopes);
            ApiKeys keys = ApiKeys.open(dir);
            CreatedKey made;
            try {
                made = keys.create(tenant, wanted, Optional.ofNullable(name));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage());
            }
            System.out.println(made.secret());
            System.err.println("Made key " + made.key().id() + " for tenant " + tenant + " (" + labels(wanted)
                    + "). This is the only time it is shown: store it now; " + dir.resolve("keys.json")
                    + " keeps only its hash.");
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------- list

    @Command(name = "list",
            mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
            description = {"Print the keys as a table, oldest first: id, tenant, scopes, name, when made, when"
                    + " revoked. Secrets are never shown (they are not stored).", ""},
            footer = {"", "Examples:",
                    "  vigil keys list --dir /srv/vigil",
                    "  vigil keys list --dir /srv/vigil --tenant acme"})
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = DIR_DESCRIPTION)
        Path dir;

        @Option(names = "--tenant", paramLabel = "T", description = "Only the keys of this tenant.")
        String tenant;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            ApiKeys keys = openExisting(cl, dir);
            List<ApiKey> found;
            try {
                found = tenant == null ? keys.list() : keys.list(tenant);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage());
            }
            if (found.isEmpty()) {
                System.out.println(tenant == null ? "no keys" : "no keys for tenant " + tenant);
                return 0;
            }
            TextTable table = new TextTable(System.out, List.of("id", "tenant", "scopes", "name", "created",
                    "revoked"), Set.of(), "key", "keys");
            for (ApiKey k : found) {
                table.add(k.id(), k.tenant(), labels(k.scopes()), k.name().orElse("-"), k.created().toString(),
                        k.revoked().map(Object::toString).orElse("-"));
            }
            table.finish();
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------- revoke

    @Command(name = "revoke",
            mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
            description = {"Revoke one key by its id (as 'vigil keys list' shows it). It lets no one in from then"
                    + " on; a running server stops accepting it within a second or so. Revoked keys stay listed.", ""},
            footer = {"", "Example:", "  vigil keys revoke --dir /srv/vigil 3kq7x2mzt5ab"})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = DIR_DESCRIPTION)
        Path dir;

        @Parameters(index = "0", paramLabel = "ID", description = "The key's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            ApiKeys keys = openExisting(spec.commandLine(), dir);
            Optional<ApiKey> before = keys.list().stream().filter(k -> k.id().equals(id)).findFirst();
            if (!keys.revoke(id)) {
                System.err.println("vigil: no key with id '" + id + "' in " + dir.resolve("keys.json")
                        + "; 'vigil keys list --dir " + dir + "' shows the ids");
                return 1;
            }
            if (before.isPresent() && !before.get().active()) {
                System.out.println("key " + id + " was already revoked at " + before.get().revoked().orElseThrow());
            } else {
                System.out.println("revoked key " + id + before.map(k -> " (tenant " + k.tenant() + ")").orElse(""));
            }
            return 0;
        }
    }

    private static String labels(Set<Scope> scopes) {
        return scopes.stream().map(Scope::label).collect(Collectors.joining(","));
    }
}
