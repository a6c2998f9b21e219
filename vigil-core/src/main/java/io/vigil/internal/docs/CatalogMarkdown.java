package io.vigil.internal.docs;

import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.helper.CatalogMappings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders {@code docs/event-catalog.md} from {@link EventCatalog} and {@link CatalogMappings}. The test
 * {@code EventCatalogDocTest} fails when the checked-in file differs from {@link #render()}.
 */
public final class CatalogMarkdown {

    /** How to regenerate the document; printed in the document and by the test that checks it. */
    public static final String REGENERATE =
            "./mvnw -pl vigil-core test -Dtest=EventCatalogDocTest -Dvigil.updateDocs=true";

    private CatalogMarkdown() {
    }

    /** Writes the document to the path in {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CatalogMarkdown <output file>, e.g. docs/event-catalog.md");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    /** The whole document, with {@code \n} line ends. */
    public static String render() {
        StringBuilder md = new StringBuilder(32_768);
        md.append("# Event catalogue\n\n");
        md.append("<!-- Generated from io.vigil.event.EventCatalog by io.vigil.internal.docs.CatalogMarkdown;"
                + " do not edit. Regenerate with: ").append(REGENERATE).append(" -->\n\n");
        md.append("Every Vigil audit event has a `type`: one of the ").append(EventCatalog.all().size())
                .append(" stable names below, or a custom name starting with `x.`; the type gives the event its")
                .append(" category, action, default outcome and default severity, and a caller may override the")
                .append(" outcome and severity of a single event.\n\n");

        customTypes(md);
        for (Category category : Category.values()) {
            category(md, category);
        }
        vocabularyMappings(md);
        return md.toString();
    }

    private static void customTypes(StringBuilder md) {
        md.append("## Custom types\n\n");
        md.append("Events this catalogue has no type for get an application-defined type. Its name must start with `")
                .append(EventType.CUSTOM_PREFIX).append("` (names without it are reserved for the catalogue) and")
                .append(" otherwise follows the same rules: dotted lowercase segments of `[a-z0-9_]`, an action of")
                .append(" `[a-z0-9_]`, a category, a default outcome, a default severity and a one-line meaning.\n\n");
        md.append("```java\n");
        md.append("static final EventType INVOICE_EXPORTED = EventType.custom(\"x.billing.invoice.exported\",\n");
        md.append("        Category.DATA, \"export\", Outcome.SUCCESS, Severity.LOW,\n");
        md.append("        \"An invoice was exported.\");\n\n");
        md.append("recorder.record(AuditEvent.builder(INVOICE_EXPORTED).actor(Actor.user(\"u-42\")));\n");
        md.append("```\n\n");
    }

    private static void category(StringBuilder md, Category category) {
        md.append("## ").append(category.jsonName()).append("\n\n");
        md.append(category.description()).append("\n\n");
        md.append("| type | action | default outcome | default severity | meaning |\n");
        md.append("|---|---|---|---|---|\n");
        for (EventType t : EventCatalog.byCategory(category)) {
            row(md, code(t.name()), code(t.action()), t.outcome().jsonName(), t.severity().jsonName(),
                    t.description());
        }
        md.append('\n');
    }

    private static void vocabularyMappings(StringBuilder md) {
        md.append("## Mappings from other vocabularies\n\n");
        md.append("Every legacy `security_audit_log` type name is kept unchanged. The legacy action names and")
                .append(" the OWASP Logging Vocabulary map to the catalogue as below; the tables come from")
                .append(" `io.vigil.helper.CatalogMappings`, which the category helpers use.\n\n");

        md.append("### Legacy action names\n\n");
        md.append("An action recorded with outcome `success` becomes the first type; with any other outcome, the")
                .append(" second, keeping the outcome given. Actions marked *new* are Vigil's, for categories the")
                .append(" legacy helpers did not cover.\n\n");
        md.append("| category | action | from | success | other outcomes |\n");
        md.append("|---|---|---|---|---|\n");
        for (CatalogMappings.ActionMapping m : CatalogMappings.actions()) {
            String from = m.origin() == CatalogMappings.Origin.LEGACY
                    ? m.origin().label()
                    : "*" + m.origin().label() + "*";
            row(md, m.category().jsonName(), code(m.action()), from, code(m.onSuccess().name()),
                    code(m.otherwise().name()));
        }
        md.append('\n');

        md.append("### OWASP Logging Vocabulary\n\n");
        md.append("Each name of the OWASP Application Logging Vocabulary Cheat Sheet, without its arguments, and the")
                .append(" type to record instead; the note says how to carry what the name's arguments held.\n\n");
        md.append("| OWASP name | type | note |\n");
        md.append("|---|---|---|\n");
        for (CatalogMappings.VocabularyMapping m : CatalogMappings.owasp()) {
            row(md, code(m.name()), code(m.type().name()), m.note());
        }
    }

    private static void row(StringBuilder md, String... cells) {
        md.append('|');
        for (String cell : List.of(cells)) {
            md.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        md.append('\n');
    }

    private static String code(String s) {
        return "`" + s + "`";
    }
}
