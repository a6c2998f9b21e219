package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code vigil} command. */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VigilCommand.Version.class,
        description = {"Vigil: a tamper-evident security audit trail for Java services.", ""},
        subcommands = {DemoCommand.class, VerifyCommand.class, ProveCommand.class, QueryCommand.class, TailCommand.class,
                DetectCommand.class, ArchiveCommand.class, KeygenCommand.class, KeysCommand.class, ServeCommand.class,
                SequenceCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success (a verified ledger, a valid proof); 1 failure (tampering found, an"
                + " invalid proof, an I/O error); 2 bad usage (the message says what to change).",
                "", "Run 'vigil help COMMAND' or 'vigil COMMAND --help' for the options and examples of one command.",
                "", "Example:", "  vigil demo --out /tmp/vigil-demo",
                "  vigil verify /tmp/vigil-demo --key /tmp/vigil-demo/demo-signing.pub"})
public final class VigilCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new VigilCommand());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            line.getErr().println("vigil: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        cl.setParameterExceptionHandler((ex, ignoredArgs) -> {
            CommandLine line = ex.getCommandLine();
            line.getErr().println("vigil: " + ex.getMessage());
            line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Reads the version the build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = VigilCommand.class.getResourceAsStream("/vigil-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"vigil " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
