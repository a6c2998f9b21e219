package io.vigil.cli;

import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil keygen}: a new Ed25519 checkpoint signing key pair. */
@Command(name = "keygen",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Generate an Ed25519 key pair for signing a ledger's checkpoints.",
                "",
                "The private file holds the signer key string (PRIVATE+KEY+NAME+ID+...) and is created readable by "
                + "its owner only (0600); keep it where only the ledger's writer can read it. The public file holds "
                + "the verifier key string, which is also printed: give it to whoever verifies the ledger "
                + "('vigil verify DIR --key FILE'). Existing files are never overwritten.", ""},
        footer = {"", "Examples:",
                "  vigil keygen --name example.com/audit --out /etc/vigil/keys",
                "      writes /etc/vigil/keys/example.com_audit.key and .pub",
                "  vigil keygen --name example.com/audit --private signer.key --public signer.pub"})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Key name, conventionally the ledger's origin (e.g. example.com/audit); no spaces or '+'.")
    String name;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for NAME.key and NAME.pub ('/' and other unsafe characters in NAME become '_'); created 0700 if missing.")
    Path out;

    @Option(names = "--private", paramLabel = "FILE", description = "Private key file (instead of --out; needs --public).")
    Path privateFile;

    @Option(names = "--public", paramLabel = "FILE", description = "Public key file (instead of --out; needs --private).")
    Path publicFile;

    @Override
    public Integer call() throws Exception {
        var cl = spec.commandLine();
        SigningKey key;
        try {
            key = SigningKey.generate(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--name '" + name + "' is not a valid key name: " + e.getMessage());
        }
        Path priv;
        Path pub;
        if (out != null) {
            if (privateFile != null || publicFile != null) {
                throw new ParameterException(cl, "give either --out DIR or --private FILE --public FILE, not both");
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new ParameterException(cl, "--out " + out + " exists and is not a directory");
            }
            String base = fileBase(name);
            priv = out.resolve(base + ".key");
            pub = out.resolve(base + ".pub");
        } else {
            if (privateFile == null || publicFile == null) {
                throw new ParameterException(cl, privateFile == null && publicFile == null
                        ? "say where to write the keys: --out DIR, or --private FILE --public FILE"
                        : "--private and --public go together; give both (or --out DIR)");
            }
            priv = privateFile;
            pub = publicFile;
            if (priv.toAbsolutePath().normalize().equals(pub.toAbsolutePath().normalize())) {
                throw new ParameterException(cl, "--private and --public must be different files");
            }
        }
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new ParameterException(cl, p + " already exists; refusing to overwrite a key file (move it away"
                        + " first if you mean to replace it)");
            }
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                if (out == null) {
                    throw new ParameterException(cl, "directory " + parent + " does not exist");
                }
                PrivateFiles.directory(parent);
            }
        }
        try {
            KeyFiles.write(key, priv, pub);
        } catch (FileAlreadyExistsException e) {
            throw new ParameterException(cl, e.getFile() + " already exists; refusing to overwrite a key file");
        }
        System.err.println("Wrote the private key to " + priv + " (mode 0600; keep it secret)");
        System.err.println("Wrote the public key to  " + pub);
        System.out.println(key.verifierKey().encode());
        return 0;
    }

    /** A file name from a key name: characters other than letters, digits, '.', '-' and '_' become '_'. */
    static String fileBase(String keyName) {
        String s = keyName.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s.substring(1) : s;
    }
}
