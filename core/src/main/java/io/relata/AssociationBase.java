package io.relata;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** State shared by the four association kinds; resolved once by the schema compiler. */
abstract class AssociationBase<S, T> {
    final Model<S> source;
    final Model<T> target;
    final AssociationOptions options;
    private boolean resolved;
    private String as = "";
    private String singular = "";
    private String plural = "";
    private @Nullable Attribute foreignKey;
    private @Nullable Attribute sourceKey;
    private @Nullable Attribute targetKey;
    private @Nullable Model<?> through;
    private @Nullable Attribute otherKey;
    private Map<String, Object> scope = Map.of();
    private Map<String, Object> throughScope = Map.of();

    AssociationBase(Model<S> source, Model<T> target, AssociationOptions options) {
        this.source = source;
        this.target = target;
        this.options = options;
    }

    void names(String as, String singular, String plural) {
        this.as = as;
        this.singular = singular;
        this.plural = plural;
    }

    void resolve(Attribute foreignKey, Attribute sourceKey, Attribute targetKey, @Nullable Model<?> through,
            @Nullable Attribute otherKey) {
        this.foreignKey = foreignKey;
        this.sourceKey = sourceKey;
        this.targetKey = targetKey;
        this.through = through;
        this.otherKey = otherKey;
        this.scope = Map.copyOf(options.scope);
        this.throughScope = Map.copyOf(options.throughScope);
        this.resolved = true;
    }

    private void check() {
        if (!resolved) {
            throw new QueryDefinitionException("association " + source.name() + " -> " + target.name()
                    + " is resolved by SchemaBuilder.build(); build the schema first");
        }
    }

    public Model<S> source() {
        return source;
    }

    public Model<T> target() {
        return target;
    }

    public String as() {
        check();
        return as;
    }

    public boolean aliased() {
        return options.as != null || options.singular != null;
    }

    public String singular() {
        check();
        return singular;
    }

    public String plural() {
        check();
        return plural;
    }

    public Attribute foreignKey() {
        check();
        return Objects.requireNonNull(foreignKey);
    }

    public Attribute sourceKey() {
        check();
        return Objects.requireNonNull(sourceKey);
    }

    public Attribute targetKey() {
        check();
        return Objects.requireNonNull(targetKey);
    }

    public @Nullable Model<?> through() {
        check();
        return through;
    }

    public @Nullable Attribute otherKey() {
        check();
        return otherKey;
    }

    public Map<String, Object> scope() {
        check();
        return scope;
    }

    public Map<String, Object> throughScope() {
        check();
        return throughScope;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + source.name() + " -> " + target.name()
                + (resolved ? " as " + as : "") + ")";
    }
}
