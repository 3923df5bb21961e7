package io.relata.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.ValidationException;
import io.relata.Validator;
import io.relata.plan.Statements;
import io.relata.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The statements of a create with includes, in order, driven with the rows a database would return. */
class NestedCreateTest {

    record Product(Long id, String title, Long userId, User user, List<Tag> tags) {}
    record User(Long id, String name, List<Address> addresses) {}
    record Address(Long id, String city, Long userId) {}
    record Tag(Long id, String name, ProductTag productTag) {}
    record ProductTag(Long productId, Long tagId, Integer weight) {}

    static final Model<Product> products;
    static final Model<User> users;
    static final Model<Address> addresses;
    static final Model<Tag> tags;
    static final BelongsTo<Product, User> productUser;
    static final HasMany<User, Address> userAddresses;
    static final BelongsToMany<Product, Tag> productTags;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        products = s.define(Product.class);
        users = s.define(User.class, m -> m.attribute("name").validate(Validator.notEmpty()));
        addresses = s.define(Address.class);
        tags = s.define(Tag.class);
        Model<ProductTag> pt = s.define(ProductTag.class);
        productUser = products.belongsTo(users, o -> o.as("user").foreignKey("userId"));
        userAddresses = users.hasMany(addresses, o -> o.as("addresses").foreignKey("userId"));
        productTags = products.belongsToMany(tags, o -> o.as("tags").through(pt).foreignKey("productId").otherKey("tagId"));
        s.build();
    }

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    /** Runs a program, answering each INSERT with the rows {@code rows} makes from its statement. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <A> A drive(WriteProgram<A> program, List<SqlStatement> log, Function<SqlStatement, List<?>> rows) {
        WriteProgram<A> p = program;
        while (true) {
            if (p instanceof WriteProgram.Done<A> d) {
                return d.value();
            }
            if (p instanceof WriteProgram.Insert insert) {
                log.add(insert.plan().statement());
                p = (WriteProgram<A>) insert.next().apply(rows.apply(insert.plan().statement()));
            } else {
                WriteProgram.Execute<A> e = (WriteProgram.Execute<A>) p;
                log.add(e.statement());
                p = e.next().get();
            }
        }
    }

    @Test
    void belongsToFirstThenTheRootThenItsTargetsAndOneJunctionInsert() {
        Product given = new Product(null, "Chair", null, new User(null, "Mick", List.of(new Address(null, "Austin", null),
                new Address(null, "Dallas", null))), List.of(new Tag(null, "a", new ProductTag(null, null, 3)),
                new Tag(null, "b", null)));
        List<SqlStatement> log = new ArrayList<>();
        List<Product> made = drive(Statements.create(Query.from(products).include(productUser,
                i -> i.include(userAddresses)).include(productTags), List.of(given)), log, st -> {
            String sql = st.sql();
            if (sql.startsWith(q("INSERT INTO `Users`"))) {
                return List.of(new User(7L, "Mick", null));
            }
            if (sql.startsWith(q("INSERT INTO `Addresses`"))) {
                return List.of(new Address(1L, "Austin", 7L), new Address(2L, "Dallas", 7L));
            }
            if (sql.startsWith(q("INSERT INTO `Products`"))) {
                return List.of(new Product(9L, "Chair", 7L, null, null));
            }
            return List.of(new Tag(20L, "a", null), new Tag(21L, "b", null));
        });

        assertThat(log).extracting(SqlStatement::sql).containsExactly(
                q("INSERT INTO `Users` (`name`) VALUES ($1) RETURNING `id`, `name`"),
                q("INSERT INTO `Addresses` (`city`, `userId`) VALUES ($1, $2), ($3, $4) RETURNING `id`, `city`, `userId`"),
                q("INSERT INTO `Products` (`title`, `userId`) VALUES ($1, $2) RETURNING `id`, `title`, `userId`"),
                q("INSERT INTO `Tags` (`name`) VALUES ($1), ($2) RETURNING `id`, `name`"),
                q("INSERT INTO `ProductTags` (`productId`, `tagId`, `weight`) VALUES ($1, $2, $3), ($4, $5, $6)"));
        assertThat(log.get(1).values()).containsExactly("Austin", 7L, "Dallas", 7L);
        assertThat(log.get(2).values()).containsExactly("Chair", 7L);
        assertThat(log.get(4).values()).containsExactly(9L, 20L, 3, 9L, 21L, null);
        Product p = made.get(0);
        assertThat(p.id()).isEqualTo(9L);
        assertThat(p.user().addresses()).extracting(Address::id).containsExactly(1L, 2L);
        assertThat(p.tags()).extracting(Tag::id).containsExactly(20L, 21L);
        assertThat(p.tags().get(0).productTag()).isEqualTo(new ProductTag(null, null, 3));
    }

    @Test
    void everyEntityIsValidatedBeforeTheFirstStatement() {
        Product given = new Product(null, "x", null, new User(null, "", null), null);
        assertThatThrownBy(() -> Statements.create(Query.from(products).include(productUser), List.of(given)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("User.name");
    }
}
