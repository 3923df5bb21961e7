package io.relata.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.atteo.evo.inflector.English;

/**
 * English plural/singular forms and case conversions, Sequelize-compatible. Plurals come from
 * evo-inflector (irregulars: Person → People, Hypothesis → Hypotheses); singulars are the
 * inverse rules, checked against the plural so {@code singularize(pluralize(x)) == x}.
 */
public final class Inflector {
    private static final Map<String, String> IRREGULAR_SINGULARS = Map.ofEntries(
            Map.entry("people", "person"), Map.entry("men", "man"), Map.entry("women", "woman"),
            Map.entry("children", "child"), Map.entry("teeth", "tooth"), Map.entry("feet", "foot"),
            Map.entry("mice", "mouse"), Map.entry("geese", "goose"), Map.entry("oxen", "ox"),
            Map.entry("data", "datum"), Map.entry("criteria", "criterion"));
    private static final List<String[]> SINGULAR_RULES = List.of(
            new String[] {"theses", "thesis"}, new String[] {"ses", "sis"}, new String[] {"ives", "ife"},
            new String[] {"ves", "f"}, new String[] {"ies", "y"}, new String[] {"xes", "x"},
            new String[] {"ches", "ch"}, new String[] {"shes", "sh"}, new String[] {"sses", "ss"},
            new String[] {"oes", "o"}, new String[] {"zzes", "zz"}, new String[] {"uses", "us"},
            new String[] {"i", "us"}, new String[] {"ses", "s"}, new String[] {"s", ""});

    private Inflector() {
    }

    /** @param word a singular noun, any case @return its plural, keeping the word's capitalisation */
    public static String pluralize(String word) {
        if (word.isEmpty()) {
            return word;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : IRREGULAR_SINGULARS.entrySet()) {
            String singular = e.getValue();
            if (lower.endsWith(singular) && (lower.length() == singular.length()
                    || Character.isUpperCase(word.charAt(word.length() - singular.length())))) {
                String stem = word.substring(0, word.length() - singular.length());
                boolean upper = Character.isUpperCase(word.charAt(word.length() - singular.length()));
                return stem + (upper ? capitalize(e.getKey()) : e.getKey());
            }
        }
        return English.plural(word);
    }

    /** @param word a plural noun @return its singular; the word itself when it does not look plural */
    public static String singularize(String word) {
        if (word.isEmpty()) {
            return word;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : IRREGULAR_SINGULARS.entrySet()) {
            if (lower.endsWith(e.getKey())) {
                String stem = word.substring(0, word.length() - e.getKey().length());
                String tail = e.getValue();
                String original = word.substring(word.length() - e.getKey().length());
                return stem + (Character.isUpperCase(original.charAt(0)) ? capitalize(tail) : tail);
            }
        }
        for (String[] rule : SINGULAR_RULES) {
            if (lower.endsWith(rule[0]) && lower.length() > rule[0].length()) {
                String candidate = word.substring(0, word.length() - rule[0].length()) + rule[1];
                if (pluralize(candidate).equalsIgnoreCase(word)) {
                    return candidate;
                }
            }
        }
        return word;
    }

    /** @param s any identifier @return it with the first letter upper-cased */
    public static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** @param s any identifier @return it with the first letter lower-cased */
    public static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * Sequelize's {@code camelize([a, b].join('_'))}: {@code ("Team", "id") → "TeamId"},
     * {@code ("captain", "id") → "captainId"}. The first word keeps its case.
     *
     * @param first the leading word
     * @param second the key name
     * @return the joined identifier
     */
    public static String camelize(String first, String second) {
        return first + capitalize(second);
    }

    /** @param s a camelCase or PascalCase identifier @return snake_case: {@code TeamId → team_id} */
    public static String underscore(String s) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && s.charAt(i - 1) != '_'
                        && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1))
                        || (i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1))))) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
