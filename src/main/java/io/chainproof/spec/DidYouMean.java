package io.chainproof.spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the known name closest to a misspelt one, by the optimal-string-alignment edit distance
 * (insertions, deletions, substitutions and swaps of adjacent characters each cost 1), ignoring case.
 * A name is suggested only if its distance is at most {@code max(1, length/3)} and smaller than the
 * length of what was written (so {@code z} does not suggest {@code x}); ties go to the earlier name.
 */
public final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * @param given what the user wrote
     * @param known the names that would have been accepted, in the order to list them
     * @return {@code known: a, b, c} followed by {@code  (did you mean b?)} when a name is close enough
     */
    static String known(String given, List<String> known) {
        return "known: " + ValueText.names(known)
                + closest(given, known).map(name -> " (did you mean " + name + "?)").orElse("");
    }

    /**
     * @param given what the user wrote
     * @param known the names that would have been accepted, in order (ties go to the earlier)
     * @return the closest known name within the threshold, if any
     */
    public static Optional<String> closest(String given, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            int threshold = Math.max(1, name.length() / 3);
            // the distance is at least the difference in length: a long text is not measured against short names
            if (Math.abs(given.length() - name.length()) > threshold) {
                continue;
            }
            int d = distance(given.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d <= threshold && d < given.length() && d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** @return the optimal-string-alignment distance between {@code a} and {@code b} */
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
