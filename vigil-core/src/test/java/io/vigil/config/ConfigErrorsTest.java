package io.vigil.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigErrorsTest {

    @TempDir
    Path dir;

    private static ConfigException yamlError(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseYaml(yaml, "app.yml"));
        assertThat(e).as("expected a ConfigException for:\n" + yaml).isNotNull();
        assertThat(e.source()).isEqualTo("app.yml");
        return e;
    }

    /** The single problem reported for {@code yaml}. */
    private static String problem(String yaml) {
        ConfigException e = yamlError(yaml);
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        assertThat(e.getMessage()).isEqualTo("app.yml: " + e.problems().get(0));
        return e.problems().get(0);
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosest() {
        assertThat(problem("enabled: true\nsinkz: []\n")).isEqualTo("unknown key 'sinkz' at top level; allowed:"
                + " enabled, target, filePath, categories, outcomes, minOutcome, minSeverity, types,"
                + " includeRequestIds, pipeline, redaction, sinks, detect, server; did you mean 'sinks'?");
        assertThat(problem("includeRequestId: false")).endsWith("did you mean 'includeRequestIds'?");
        assertThat(problem("IncludeRequestIds: false")).endsWith("did you mean 'includeRequestIds'?");
    }

    @Test
    void unknownNestedKeyNamesItsPath() {
        assertThat(problem("""
                sinks:
                  - type: stdout
                  - type: file
                    path: /x
                    rotation:
                      maxSise: 10MB
                """)).isEqualTo("unknown key 'maxSise' at sinks[1].rotation; allowed: maxSize, daily, gzip;"
                + " did you mean 'maxSize'?");
        assertThat(problem("vigil:\n  pipeline:\n    queueSize: 10\n"))
                .isEqualTo("unknown key 'queueSize' at vigil.pipeline; allowed: queueCapacity, batchSize, overflow,"
                        + " blockTimeout, shutdownTimeout, shutdownHook, retry");
    }

    @Test
    void knownKeyInTheWrongSectionPointsToItsHome() {
        assertThat(problem("queueCapacity: 10")).endsWith("; 'queueCapacity' belongs at pipeline.queueCapacity");
        assertThat(problem("sinks: [{type: file, path: /x, maxSize: 1MB}]"))
                .endsWith("; 'maxSize' belongs at sinks[].rotation.maxSize or sinks[].spool.maxSize");
        assertThat(problem("pipeline: {maxAttempts: 3}")).endsWith("belongs at pipeline.retry.maxAttempts");
    }

    @Test
    void badEnumListsAllowedValues() {
        assertThat(problem("pipeline:\n  overflow: explode\n"))
                .isEqualTo("pipeline.overflow: 'explode' is not allowed; allowed: block, drop, fail");
        assertThat(problem("categories: [auth, authn]"))
                .isEqualTo("categories[1]: 'authn' is not allowed; allowed: auth, authz, admin, config, rate_limit,"
                        + " channel, session, data, security, audit; did you mean 'auth'?");
        assertThat(problem("minSeverity: severe")).isEqualTo("minSeverity: 'severe' is not allowed;"
                + " allowed: info, low, medium, high, critical");
        assertThat(problem("sinks: [{type: file, path: /x, fsync: sometimes}]"))
                .isEqualTo("sinks[0].fsync: 'sometimes' is not allowed; allowed: none, batch, always");
        assertThat(problem("target: ftp"))
                .isEqualTo("target: 'ftp' is not allowed; allowed: file, stdout, syslog, kafka, custom");
        assertThat(problem("target: syslog"))
                .isEqualTo("target: 'syslog' sinks need settings the shorthand cannot give; declare the sink in sinks");
    }

    @Test
    void badDurationStatesTheGrammar() {
        assertThat(problem("pipeline: {blockTimeout: soon}")).isEqualTo("pipeline.blockTimeout: 'soon' is not a"
                + " duration; expected a whole number followed by ms, s, m or h (e.g. 250ms, 10s, 5m, 1h)");
        assertThat(problem("pipeline: {retry: {maxBackoff: 100}}")).isEqualTo("pipeline.retry.maxBackoff: the"
                + " number 100 is not a duration; expected a whole number followed by ms, s, m or h (e.g. 250ms,"
                + " 10s, 5m, 1h) (add a unit, e.g. 100ms)");
        assertThat(problem("pipeline: {shutdownTimeout: 1.5s}")).startsWith("pipeline.shutdownTimeout: '1.5s'");
    }

    @Test
    void badSizeStatesTheGrammar() {
        assertThat(problem("sinks: [{type: file, path: /x, rotation: {maxSize: 10 MB}}]"))
                .isEqualTo("sinks[0].rotation.maxSize: '10 MB' is not a size; expected a whole number of bytes,"
                        + " optionally followed by B, KB, MB or GB (1 KB = 1024 bytes; KiB, MiB, GiB mean the same),"
                        + " e.g. 512, 64KB, 100MB");
        assertThat(problem("sinks: [{type: file, path: /x, rotation: {maxSize: 512}}]"))
                .isEqualTo("sinks[0].rotation.maxSize: 512 bytes is too small; use 0 (no size limit) or at least 1KB");
        assertThat(problem("redaction: {maxDetailsBytes: 4GB}"))
                .isEqualTo("redaction.maxDetailsBytes: 4GB is out of range; expected from 256 to 2147483647 bytes");
        assertThat(problem("redaction: {maxDetailsBytes: -5}")).startsWith("redaction.maxDetailsBytes: the number -5"
                + " is not a size");
    }

    @Test
    void wrongTypesNameWhatWasFound() {
        assertThat(problem("categories: auth")).isEqualTo("categories: expected 'all' or a list of categories (auth,"
                + " authz, admin, config, rate_limit, channel, session, data, security, audit), got the string 'auth'");
        assertThat(problem("enabled: yes please")).isEqualTo("enabled: expected true or false, got the string"
                + " 'yes please'");
        assertThat(problem("pipeline: 5")).isEqualTo("pipeline: expected a mapping of keys to values, got the number 5");
        assertThat(problem("pipeline: {queueCapacity: lots}"))
                .isEqualTo("pipeline.queueCapacity: expected a whole number from 2 to 67108864, got the string 'lots'");
        assertThat(problem("pipeline: {batchSize: 0}"))
                .isEqualTo("pipeline.batchSize: 0 is out of range; expected a whole number from 1 to 65536");
        assertThat(problem("redaction: {keys: ssn}"))
                .isEqualTo("redaction.keys: expected a list of detail keys, got the string 'ssn'");
        assertThat(problem("redaction: {allowKeys: [ok, {a: b}]}"))
                .isEqualTo("redaction.allowKeys[1]: expected a string, got a mapping");
        assertThat(problem("sinks: {type: file}")).startsWith("sinks: expected a list of sinks");
        assertThat(problem("sinks: [stdout]")).startsWith("sinks[0]: expected a mapping with at least 'type'");
        assertThat(problem("types: {include: [\"auth.**\"]}")).isEqualTo("types.include[0]: 'auth.**' is not a type"
                + " pattern; expected a type name (auth.login.failure), a prefix ending in .* (auth.*) or *");
        assertThat(problem("[1, 2]")).isEqualTo("the configuration: expected a mapping of keys to values, got a list");
    }

    @Test
    void targetAndSinksTogetherAreRejected() {
        ConfigException e = yamlError("""
                target: file
                filePath: /var/log/a.jsonl
                sinks:
                  - type: stdout
                """);
        assertThat(e.problems()).containsExactly(
                "target: cannot be combined with sinks; target and filePath are a shorthand for one sink, so declare"
                        + " that sink in sinks instead",
                "filePath: cannot be combined with sinks; target and filePath are a shorthand for one sink, so"
                        + " declare that sink in sinks instead");
        assertThat(problem("target: stdout\nfilePath: /x")).isEqualTo("filePath: applies only when target is file,"
                + " but target is 'stdout'");
    }

    @Test
    void duplicateSinkNamesAreRejected() {
        assertThat(problem("""
                sinks:
                  - {type: file, name: main, path: /a}
                  - {type: file, name: main, path: /b}
                """)).isEqualTo("sinks[1].name: 'main' is already used by sinks[0]; sink names must be unique, so give"
                + " each sink its own name");
        assertThat(problem("""
                sinks:
                  - {type: file, path: /a}
                  - {type: file, path: /b}
                """)).isEqualTo("sinks[1]: the name defaults to the type, 'file', which is already used by sinks[0];"
                + " sink names must be unique, so give each sink its own name");
    }

    @Test
    void hmacKeysNeedAKeyFile() {
        assertThat(problem("redaction: {hmacKeys: [email]}")).isEqualTo("redaction.hmacKeys: is set but"
                + " redaction.hmacKeyFile is not; keyed pseudonyms need a key file holding at least 32 random bytes"
                + " in base64");
        Path missing = dir.resolve("missing.key");
        assertThat(problem("redaction: {hmacKeys: [email], hmacKeyFile: " + missing + "}"))
                .isEqualTo("redaction.hmacKeyFile: cannot read '" + missing + "': no such file");
    }

    @Test
    void shortHmacKeyIsRejected() throws IOException {
        Path f = dir.resolve("short.key");
        Files.writeString(f, "AAAA");
        assertThat(problem("redaction: {hmacKeys: [email], hmacKeyFile: " + f + "}"))
                .startsWith("redaction.hmacKeyFile: '" + f + "' is not a usable key: ")
                .contains("HMAC key is 3 bytes; at least 32 are required");
    }

    @Test
    void groupReadableKeyFileIsWarnedAbout() throws IOException {
        Path f = ConfigLoaderTest.keyFile(dir);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            return; // nothing to warn about where there are no POSIX permissions
        }
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            VigilConfig c = ConfigLoader.parseYaml("redaction: {hmacKeys: [email], hmacKeyFile: " + f + "}", "app.yml");
            assertThat(c.redaction().isHmacKey("email")).isTrue();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).singleElement().satisfies(ev -> {
            assertThat(ev.getLevel()).isEqualTo(Level.WARN);
            assertThat(ev.getFormattedMessage()).contains("app.yml", "redaction.hmacKeyFile", f.toString(),
                    "rw-r--r--", "chmod 600");
        });
    }

    @Test
    void fileSinkNeedsAPath() {
        assertThat(problem("sinks: [{type: file, name: main}]")).isEqualTo("sinks[0].path: is required for a file sink"
                + " (e.g. path: /var/log/app/audit.jsonl)");
        assertThat(problem("sinks: [{name: main}]"))
                .isEqualTo("sinks[0].type: is required; allowed: file, stdout, syslog, kafka, custom");
    }

    @Test
    void keysOfOtherSinkTypesAreRejected() {
        assertThat(problem("sinks: [{type: stdout, path: /x}]")).isEqualTo("sinks[0].path: does not apply to a stdout"
                + " sink; keys of stdout sinks: type, name, filter, format");
        assertThat(problem("sinks: [{type: custom, name: siem, fsync: always}]"))
                .isEqualTo("sinks[0].fsync: does not apply to a custom sink; keys of custom sinks: type, name, filter");
        assertThat(problem("sinks: [{type: stdout, colour: red}]")).isEqualTo("unknown key 'colour' at sinks[0];"
                + " allowed: type, name, filter, format");
        assertThat(problem("sinks: [{type: file, path: /x, topic: t}]")).isEqualTo("sinks[0].topic: does not apply"
                + " to a file sink; keys of file sinks: type, name, filter, format, path, rotation, fsync");
    }

    @Test
    void sinkFilterIsValidatedLikeTheTopLevelOne() {
        assertThat(problem("sinks: [{type: stdout, filter: {minOutcome: denied, outcomes: [error]}}]"))
                .isEqualTo("sinks[0].filter.minOutcome: cannot be combined with sinks[0].filter.outcomes; set one of"
                        + " them (minOutcome: failure keeps failure, denied and error)");
        assertThat(problem("sinks: [{type: stdout, filter: {categorys: all}}]"))
                .isEqualTo("unknown key 'categorys' at sinks[0].filter; allowed: categories, outcomes, minOutcome,"
                        + " minSeverity, types; did you mean 'categories'?");
    }

    @Test
    void otherCrossKeyRules() {
        assertThat(problem("outcomes: [failure]\nminOutcome: failure")).startsWith("minOutcome: cannot be combined");
        assertThat(problem("categories: []")).isEqualTo("categories: an empty list keeps no events; use 'all', list"
                + " some categories, or set enabled: false");
        assertThat(problem("pipeline: {retry: {initialBackoff: 5s}}"))
                .isEqualTo("pipeline.retry: initialBackoff (5s) must not exceed maxBackoff (2s)");
        assertThat(problem("enabled: true\nsinks: []")).isEqualTo("sinks: an enabled log needs at least one sink");
        assertThat(problem("enabled: true\nvigil: {enabled: true}")).isEqualTo("configuration given both at the top"
                + " level (enabled) and under 'vigil'; put all of it in one place");
    }

    @Test
    void allErrorsAreReportedTogether() {
        ConfigException e = yamlError("""
                enabled: maybe
                sinkz: []
                pipeline:
                  overflow: explode
                  blockTimeout: 100
                sinks:
                  - type: file
                    rotation: {maxSize: huge}
                  - type: stdout
                    path: /x
                """);
        assertThat(e.problems()).hasSize(7);
        assertThat(e.getMessage()).isEqualTo("""
                7 configuration errors in app.yml:
                  unknown key 'sinkz' at top level; allowed: enabled, target, filePath, categories, outcomes, \
                minOutcome, minSeverity, types, includeRequestIds, pipeline, redaction, sinks, detect, server; \
                did you mean 'sinks'?
                  enabled: expected true or false, got the string 'maybe'
                  pipeline.overflow: 'explode' is not allowed; allowed: block, drop, fail
                  pipeline.blockTimeout: the number 100 is not a duration; expected a whole number followed by ms, \
                s, m or h (e.g. 250ms, 10s, 5m, 1h) (add a unit, e.g. 100ms)
                  sinks[0].path: is required for a file sink (e.g. path: /var/log/app/audit.jsonl)
                  sinks[0].rotation.maxSize: 'huge' is not a size; expected a whole number of bytes, optionally \
                followed by B, KB, MB or GB (1 KB = 1024 bytes; KiB, MiB, GiB mean the same), e.g. 512, 64KB, 100MB
                  sinks[1].path: does not apply to a stdout sink; keys of stdout sinks: type, name, filter, format""");
    }

    @Test
    void malformedYamlGivesLineAndColumn() {
        assertThat(problem("enabled: true\nsinks:\n  - type: file\n   path: /x\n")).isEqualTo("malformed YAML at line"
                + " 4, column 4: while parsing a block collection; expected <block end>, but found '<block mapping start>'");
        assertThat(problem("a:\n\tb: 1\n")).isEqualTo("malformed YAML at line 2, column 1: while scanning for the next"
                + " token; found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for"
                + " indentation)");
        assertThat(yamlError("a: 1\na: 2\n").problems()).singleElement().asString()
                .startsWith("malformed YAML at line 2, column ").contains("Duplicate field 'a'");
    }

    @Test
    void propertiesErrorsUseThePropertyPaths() {
        Properties p = new Properties();
        p.setProperty("vigil.pipeline.overflow", "explode");
        p.setProperty("vigil.sinks[0].type", "file");
        p.setProperty("vigil.sinks[0].path", "/x");
        p.setProperty("vigil.sinks[0].rotation.gzip", "sometimes");
        p.setProperty("vigil.sinks[2].type", "stdout");
        assertThatThrownBy(() -> ConfigLoader.parseProperties(p, "app.properties"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("app.properties: vigil.sinks[2]: index 1 is missing; list indices must start at 0 and"
                        + " have no gaps");
        p.remove("vigil.sinks[2].type");
        assertThatThrownBy(() -> ConfigLoader.parseProperties(p, "app.properties"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        2 configuration errors in app.properties:
                          vigil.pipeline.overflow: 'explode' is not allowed; allowed: block, drop, fail
                          vigil.sinks[0].rotation.gzip: expected true or false, got the string 'sometimes'""");
    }

    @Test
    void conflictingAndMalformedPropertyKeys() {
        Properties p = new Properties();
        p.setProperty("vigil.categories", "auth");
        p.setProperty("vigil.categories[0]", "authz");
        p.setProperty("vigil.pipeline..overflow", "drop");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseProperties(p, "p"));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "property 'vigil.categories[0]' conflicts with another property that gives a value at the same place;"
                        + " use one form",
                "property 'vigil.pipeline..overflow': malformed key; expected names separated by dots, each"
                        + " optionally followed by [index], e.g. vigil.sinks[0].type");
    }
}
