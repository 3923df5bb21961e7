package io.relata.query;

import io.relata.QueryDefinitionException;
import java.util.Objects;

/** Attribute paths: names separated by single dots ({@code "name"}, {@code "books.title"}). */
final class Paths {
    private Paths() {
    }

    /**
     * @param path a path as a caller gave it
     * @param role what it is for, for the message (e.g. {@code "where path"})
     * @return the path
     * @throws NullPointerException naming {@code name} when it is null
     * @throws QueryDefinitionException when it is empty, starts or ends with a dot or has two in a row
     */
    static String check(String path, String name) {
        Objects.requireNonNull(path, name);
        if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new QueryDefinitionException("'" + path + "' is not an attribute path: a path is attribute names"
                    + " separated by single dots, like \"name\" or \"books.title\"");
        }
        return path;
    }
}
