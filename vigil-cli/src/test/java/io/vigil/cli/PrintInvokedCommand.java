package io.vigil.cli;

/** Stands in for the CLI jar in {@link LauncherScriptTest}: prints what the launcher passed as the invoked command. */
public final class PrintInvokedCommand {
    private PrintInvokedCommand() {
    }

    public static void main(String[] args) {
        System.out.println(System.getProperty(DemoCommand.COMMAND_PROPERTY, "<unset>"));
    }
}
