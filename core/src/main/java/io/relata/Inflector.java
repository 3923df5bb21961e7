package io.relata;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atteo.evo.inflector.English;
import org.jspecify.annotations.Nullable;

/**
 * English plural/singular forms and case conversions, Sequelize-compatible (its inflection rules):
 * plurals from evo-inflector plus Sequelize's irregulars ({@code Person → People}); singulars from
 * ordered rules; words that are already plural (for plurals) or singular (for singulars) and
 * uncountable words are left alone.
 */
final class Inflector {
    private static final Set<String> UNCOUNTABLE = Set.of("equipment", "information", "rice", "money", "species",
            "series", "fish", "sheep", "moose", "deer", "news", "police", "metadata");
    /** singular → plural for words evo-inflector gets wrong or that must keep Sequelize's form. */
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("person", "people"), Map.entry("man", "men"), Map.entry("woman", "women"),
            Map.entry("child", "children"), Map.entry("tooth", "teeth"), Map.entry("foot", "feet"),
            Map.entry("mouse", "mice"), Map.entry("goose", "geese"), Map.entry("ox", "oxen"));
    /** Singular rules, most specific first; the first that matches wins (inflection.js's order). */
    private static final List<Rule> SINGULAR = List.of(
            rule("(wo|sales)?(m)en$", "$1$2an"), rule("(pe)ople$", "$1rson"), rule("(child)ren$", "$1"),
            rule("^(ox)en$", "$1"), rule("^(t)eeth$", "$1ooth"), rule("^(f)eet$", "$1oot"), rule("^(g)eese$", "$1oose"),
            rule("([ml])ice$", "$1ouse"), rule("(matr)ices$", "$1ix"), rule("(vert|ind)ices$", "$1ex"),
            rule("((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he|(hypo)the)ses$", "$1sis"),
            rule("(cris|ax|test)es$", "$1is"), rule("(alias|canvas|status|campus|bus|virus|census)es$", "$1"),
            rule("(quiz)zes$", "$1"), rule("(m)ovies$", "$1ovie"), rule("(s)eries$", "$1eries"),
            rule("(hive|tive|curve|database|shoe)s$", "$1"), rule("(thie)ves$", "$1f"), rule("([lr])ves$", "$1f"),
            rule("(kni|wi|li)ves$", "$1fe"), rule("([^aeiouy]|qu)ies$", "$1y"), rule("(x|ch|ss|sh)es$", "$1"),
            rule("(o)es$", "$1"), rule("(octop|vir|radi|fung|cact)i$", "$1us"), rule("([ti])a$", "$1um"),
            rule("(us|ss|is)$", "$1"), rule("s$", ""));

    private record Rule(Pattern pattern, String replacement) {
    }

    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), replacement);
    }

    private Inflector() {
    }

    /**
     * @param word a noun, any case
     * @return its plural, keeping the word's capitalisation; a word that is already plural or
     *     uncountable is returned as it is ({@code ActorMovies}, {@code Users}, {@code News})
     */
    public static String pluralize(String word) {
        if (word.isEmpty() || uncountable(word)) {
            return word;
        }
        String irregular = irregular(word, IRREGULAR);
        if (irregular != null) {
            return irregular;
        }
        String singular = singularize(word);
        if (!singular.equals(word) && plural(singular).equals(word)) {
            return word;
        }
        return plural(word);
    }

    private static String plural(String singular) {
        String irregular = irregular(singular, IRREGULAR);
        return irregular != null ? irregular : English.plural(singular);
    }

    /** Applies a whole-word or CamelCase-suffix irregular form, keeping the case of its first letter. */
    private static @Nullable String irregular(String word, Map<String, String> forms) {
        String lower = word.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : forms.entrySet()) {
            String from = e.getKey();
            int at = word.length() - from.length();
            if (lower.endsWith(from) && (at == 0 || Character.isUpperCase(word.charAt(at)))) {
                String to = e.getValue();
                return word.substring(0, at) + (Character.isUpperCase(word.charAt(at)) ? capitalize(to) : to);
            }
        }
        return null;
    }

    private static boolean uncountable(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        for (String u : UNCOUNTABLE) {
            int at = word.length() - u.length();
            if (lower.endsWith(u) && (at == 0 || Character.isUpperCase(word.charAt(at)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param word a plural noun
     * @return its singular ({@code People → Person}, {@code movies → movie}); a word that is singular
     *     already ({@code status}, {@code Hypothesis}) or uncountable is returned as it is
     */
    public static String singularize(String word) {
        if (word.isEmpty() || uncountable(word)) {
            return word;
        }
        for (Rule r : SINGULAR) {
            Matcher m = r.pattern().matcher(word);
            if (m.find()) {
                return m.replaceFirst(r.replacement());
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
     * Sequelize's {@code Utils.camelize([a, b].join('_'))}: every run of {@code -}, {@code _} or white space
     * is dropped and the character after it upper-cased; nothing else changes case, so the first word keeps
     * its case: {@code ("Team", "id") → "TeamId"}, {@code ("captain", "id") → "captainId"},
     * {@code ("user_profile", "userProfileId") → "userProfileUserProfileId"}.
     *
     * @param first the leading word
     * @param second the key name
     * @return the joined identifier
     */
    public static String camelize(String first, String second) {
        String joined = (first + "_" + second).strip();
        StringBuilder b = new StringBuilder(joined.length());
        boolean upper = false;
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '-' || c == '_' || Character.isWhitespace(c)) {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
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
