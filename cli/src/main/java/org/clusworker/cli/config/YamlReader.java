package org.clusworker.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link Node} tree with the line and column of every key and value, using
 * Jackson's YAML parser and its token locations. Duplicate keys are errors. Stateless.
 */
final class YamlReader {

    private final YAMLFactory factory = new YAMLFactory();

    /**
     * @return the document's root, or {@code null} for an empty document
     * @throws ConfigException for YAML that does not parse, or has duplicate keys
     */
    Node read(String text, Path file) {
        List<ConfigError> errors = new ArrayList<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Node root = value(p, file, "", errors);
            if (p.nextToken() != null) {
                Node.Location at = location(p.currentTokenLocation());
                errors.add(new ConfigError(file, at.line(), at.column(), "", "more than one YAML document (expected: one)"));
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String msg = e.getOriginalMessage();
            int line = loc == null ? 0 : Math.max(loc.getLineNr(), 0);
            int[] tab = msg != null && msg.contains("\\t") ? indentingTab(text, line) : null;
            if (tab != null) {     // the parser places it at the next token, often a line later
                errors.add(new ConfigError(file, tab[0], tab[1], "", "not valid YAML: a tab in the indentation (YAML indents with spaces only)"));
            } else {
                errors.add(new ConfigError(file, line, loc == null ? 0 : Math.max(loc.getColumnNr(), 0), "", "not valid YAML: " + firstLine(msg)));
            }
            throw new ConfigException(errors);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "", "cannot read: " + e.getMessage())));
        }
    }

    /**
     * The line and column (from 1) of the first tab in a line's leading white space at or after line
     * {@code from} (the parser reports the position before the tab), else the first one anywhere;
     * {@code null} if there is none.
     */
    static int[] indentingTab(String text, int from) {
        int[] first = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            for (int c = 0; c < l.length() && (l.charAt(c) == ' ' || l.charAt(c) == '\t'); c++) {
                if (l.charAt(c) == '\t') {
                    if (i + 1 >= from) {
                        return new int[] {i + 1, c + 1};
                    }
                    if (first == null) {
                        first = new int[] {i + 1, c + 1};
                    }
                    break;
                }
            }
        }
        return first;
    }

    private Node value(JsonParser p, Path file, String path, List<ConfigError> errors) throws IOException {
        Node.Location at = location(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Node.Location keyAt = location(p.currentTokenLocation());
                    p.nextToken();
                    String child = path.isEmpty() ? key : path + "." + key;
                    Node v = value(p, file, child, errors);
                    if (entries.containsKey(key)) {
                        errors.add(new ConfigError(file, keyAt.line(), keyAt.column(), child,
                                "duplicate key (first at line " + entries.get(key).keyLocation().line() + ")"));
                    } else {
                        entries.put(key, new Node.Entry(key, keyAt, v));
                    }
                }
                return new Node.Mapping(entries, at);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, file, path + "[" + i++ + "]", errors));
                }
                return new Node.Sequence(items, at);
            }
            case VALUE_STRING -> {
                return new Node.Scalar(p.getText(), Node.Kind.STRING, at);
            }
            case VALUE_NUMBER_INT -> {
                return new Node.Scalar(p.getText(), Node.Kind.INTEGER, at);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node.Scalar(p.getText(), Node.Kind.FLOAT, at);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node.Scalar(p.getText(), Node.Kind.BOOLEAN, at);
            }
            case VALUE_NULL -> {
                return new Node.Scalar("", Node.Kind.NULL, at);
            }
            default -> throw new IllegalStateException("unexpected YAML token " + t + " at " + at);
        }
    }

    private static Node.Location location(JsonLocation loc) {
        return new Node.Location(Math.max(loc.getLineNr(), 1), Math.max(loc.getColumnNr(), 1));
    }

    /** The parser's message without its excerpts of the file (the lines that start with blanks). */
    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "syntax error";
        }
        String text = s.lines().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).reduce((a, b) -> a + "; " + b).orElse(s.strip());
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
