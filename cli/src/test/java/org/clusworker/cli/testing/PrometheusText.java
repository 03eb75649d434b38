package org.clusworker.cli.testing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: any malformed line, a
 * sample of a family declared with another type, a repeated series, a repeated or late {@code # TYPE},
 * a histogram without {@code le}, with buckets that decrease or without a {@code +Inf} bucket equal to
 * its {@code _count} is an {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|Inf|NaN)");

    /** One series: its name and labels (sorted). */
    public record Series(String name, Map<String, String> labels) {
        public Series {
            labels = Map.copyOf(labels);
        }
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final Map<Series, Double> samples = new LinkedHashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the text does not end with a line feed");
        }
        PrometheusText p = new PrometheusText();
        Set<String> sampled = new java.util.HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher h = HELP.matcher(line);
                Matcher t = TYPE.matcher(line);
                if (line.startsWith("# HELP ")) {
                    if (!h.matches() || p.help.put(h.group(1), h.group(2)) != null) {
                        throw new IllegalArgumentException(where + "malformed or repeated HELP");
                    }
                } else if (line.startsWith("# TYPE ")) {
                    if (!t.matches()) {
                        throw new IllegalArgumentException(where + "malformed TYPE");
                    }
                    if (p.types.put(t.group(1), t.group(2)) != null || sampled.contains(t.group(1))) {
                        throw new IllegalArgumentException(where + "TYPE repeated, or after the family's samples");
                    }
                } else if (!line.startsWith("# ")) {
                    throw new IllegalArgumentException(where + "malformed comment");
                }
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            if (!s.matches()) {
                throw new IllegalArgumentException(where + "malformed sample");
            }
            Map<String, String> labels = new TreeMap<>();
            if (s.group(3) != null && !s.group(3).isEmpty()) {
                String rest = s.group(3);
                Matcher l = LABEL.matcher(rest);
                int at = 0;
                while (at < rest.length()) {
                    if (!l.find(at) || l.start() != at) {
                        throw new IllegalArgumentException(where + "malformed labels at " + at);
                    }
                    String value = l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
                    if (labels.put(l.group(1), value) != null) {
                        throw new IllegalArgumentException(where + "label " + l.group(1) + " repeated");
                    }
                    at = l.end();
                    if (at < rest.length()) {
                        if (rest.charAt(at) != ',') {
                            throw new IllegalArgumentException(where + "expected ',' at " + at);
                        }
                        at++;
                    }
                }
            }
            String value = s.group(4);
            if (!NUMBER.matcher(value).matches()) {
                throw new IllegalArgumentException(where + "malformed value '" + value + "'");
            }
            double v = value.endsWith("Inf") ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : Double.parseDouble(value);
            String name = s.group(1);
            String family = p.familyOf(name, where);
            sampled.add(family);
            String type = p.types.getOrDefault(family, "untyped");
            if (type.equals("histogram") && name.equals(family + "_bucket") && !labels.containsKey("le")) {
                throw new IllegalArgumentException(where + "a histogram bucket without le");
            }
            if (type.equals("counter") && (v < 0 || Double.isNaN(v))) {
                throw new IllegalArgumentException(where + "a counter below 0 or NaN");
            }
            if (p.samples.put(new Series(name, labels), v) != null) {
                throw new IllegalArgumentException(where + "series repeated");
            }
        }
        p.checkHistograms();
        return p;
    }

    /** The family a sample belongs to, by its declared type (a histogram's _bucket/_sum/_count, a summary's). */
    private String familyOf(String name, String where) {
        if (types.containsKey(name)) {
            String type = types.get(name);
            if (type.equals("histogram")) {
                throw new IllegalArgumentException(where + "a histogram's sample without _bucket/_sum/_count");
            }
            return name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String type = types.get(family);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return family;
                }
            }
        }
        return name;
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
            samples.forEach((series, v) -> {
                if (series.name().equals(family + "_bucket")) {
                    Map<String, String> rest = new TreeMap<>(series.labels());
                    String le = rest.remove("le");
                    double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    buckets.computeIfAbsent(rest, k -> new TreeMap<>()).put(bound, v);
                }
            });
            buckets.forEach((labels, b) -> {
                double last = 0;
                for (double v : b.values()) {
                    if (v < last) {
                        throw new IllegalArgumentException("histogram " + family + labels + ": buckets decrease " + b);
                    }
                    last = v;
                }
                Double count = samples.get(new Series(family + "_count", labels));
                if (!b.containsKey(Double.POSITIVE_INFINITY) || !Objects.equals(count, b.get(Double.POSITIVE_INFINITY))) {
                    throw new IllegalArgumentException("histogram " + family + labels + ": no +Inf bucket equal to _count " + count);
                }
            });
        });
    }

    /** The declared type of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** The sample's value, or null if there is no such series. */
    public Double value(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.get(new Series(name, labels));
    }

    /** The sum of every series of {@code name} whose labels include these. */
    public double sum(String name, String... labelPairs) {
        double sum = 0;
        for (Map.Entry<Series, Double> e : samples.entrySet()) {
            if (e.getKey().name().equals(name) && includes(e.getKey().labels(), labelPairs)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static boolean includes(Map<String, String> labels, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    public Map<Series, Double> samples() {
        return samples;
    }
}
