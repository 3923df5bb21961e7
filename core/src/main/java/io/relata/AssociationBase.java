package io.relata;

import java.util.List;
import java.util.Map;
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
    private List<Attribute> foreignKeys = List.of();
    private List<Attribute> sourceKeys = List.of();
    private List<Attribute> targetKeys = List.of();
    private @Nullable Model<?> through;
    private List<Attribute> otherKeys = List.of();
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

    void resolve(List<Attribute> foreignKeys, List<Attribute> sourceKeys, List<Attribute> targetKeys,
            @Nullable Model<?> through, List<Attribute> otherKeys) {
        this.foreignKeys = List.copyOf(foreignKeys);
        this.sourceKeys = List.copyOf(sourceKeys);
        this.targetKeys = List.copyOf(targetKeys);
        this.through = through;
        this.otherKeys = List.copyOf(otherKeys);
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
        return single(foreignKeys(), "foreign key");
    }

    public Attribute sourceKey() {
        return single(sourceKeys(), "source key");
    }

    public Attribute targetKey() {
        return single(targetKeys(), "target key");
    }

    public List<Attribute> foreignKeys() {
        check();
        return foreignKeys;
    }

    public List<Attribute> sourceKeys() {
        check();
        return sourceKeys;
    }

    public List<Attribute> targetKeys() {
        check();
        return targetKeys;
    }

    public List<Attribute> otherKeys() {
        check();
        return otherKeys;
    }

    /** The one column of a single-column key; a composite key reaching code written for one column is refused. */
    private Attribute single(List<Attribute> keys, String what) {
        if (keys.size() != 1) {
            throw new UnsupportedOperationException(this + " joins on a composite key "
                    + keys.stream().map(Attribute::name).toList() + "; this operation supports a single-column " + what
                    + " only (read the key columns with foreignKeys()/sourceKeys()/targetKeys()/otherKeys())");
        }
        return keys.get(0);
    }

    public @Nullable Model<?> through() {
        check();
        return through;
    }

    public @Nullable Attribute otherKey() {
        check();
        return otherKeys.isEmpty() ? null : single(otherKeys, "other key");
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
