package org.clusworker.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Collects the problems of one configuration file, each with its place. Confined to one thread. */
final class Problems {

    private final Path file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void add(Node.Location at, String field, String message) {
        errors.add(new ConfigError(file, at == null ? 0 : at.line(), at == null ? 0 : at.column(), field, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    /** Every problem, in file order (problems without a place last). */
    List<ConfigError> sorted() {
        List<ConfigError> list = new ArrayList<>(errors);
        list.sort(Comparator.comparingInt((ConfigError e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line())
                .thenComparingInt(ConfigError::column));
        return list;
    }

    /** {@code " (did you mean 'x'?)"} if one of {@code known} is close to {@code word}, else {@code ""}. */
    static String suggestion(String word, Collection<String> known) {
        Optional<String> best = known.stream()
                .filter(k -> k.length() > 3 && distance(k.toLowerCase(), word.toLowerCase()) <= Math.max(1, Math.min(3, k.length() / 3)))
                .min(Comparator.comparingInt(k -> distance(k.toLowerCase(), word.toLowerCase())));
        return best.map(b -> " (did you mean '" + b + "'?)").orElse("");
    }

    /** Edit distance, with a swap of two neighbours counting as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
