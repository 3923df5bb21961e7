package io.relata.examples;

import io.relata.BelongsTo;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.OptimisticLockException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.ValidationException;
import io.relata.Validator;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import io.relata.reactor.FoundOrCreated;
import java.util.List;

/**
 * Sequelize's "Creating with Associations" example (a Product with its new User and the user's Addresses in
 * one call), validators that stop a bad write before any SQL, findOrCreate, and a save that loses an
 * optimistic-locking race.
 */
public final class WritingEntities {

    record Product(Long id, String title, Long userId, Integer version, User user) {
    }

    record User(Long id, String firstName, String email, List<Address> addresses) {
    }

    record Address(Long id, String type, String line1, String city, String zip, Long userId) {
    }

    private WritingEntities() {
    }

    /**
     * @param url an R2DBC URL
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Product> products = s.define(Product.class, m -> {
            m.version(true);
            m.attribute("title").validate(Validator.notEmpty(), Validator.len(2, 40));
        });
        Model<User> users = s.define(User.class, m -> m.attribute("email").unique().validate(Validator.isEmail()));
        Model<Address> addresses = s.define(Address.class, m -> m.attribute("zip").validate(Validator.pattern("[0-9]{5}")));
        BelongsTo<Product, User> productUser = products.belongsTo(users, o -> o.as("user").foreignKey("userId"));
        HasMany<User, Address> userAddresses = users.hasMany(addresses, o -> o.as("addresses").foreignKey("userId"));
        Schema schema = s.build();

        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();

            // Product.create({ title, user: { ..., addresses: [...] } }, { include: [{ association: Product.User,
            // include: [User.Addresses] }] }): one INSERT per level, the user first, in one transaction
            Product chair = db.create(Query.from(products).include(productUser, i -> i.include(userAddresses)),
                    new Product(null, "Chair", null, null, new User(null, "Mick", "mick@example.com",
                            List.of(new Address(null, "home", "100 Main St.", "Austin", "78704", null))))).block();
            System.out.println("  created " + chair.title() + " #" + chair.id() + " of user #" + chair.userId()
                    + " with address " + chair.user().addresses().get(0).line1());
            Check.expect("the product's foreign key is its new user's key", chair.userId(), chair.user().id());
            Check.expect("the address points at the user", chair.user().addresses().get(0).userId(), chair.user().id());

            // a bad zip deep in the graph: every violation listed, nothing written
            try {
                db.create(Query.from(products).include(productUser, i -> i.include(userAddresses)),
                        new Product(null, "", null, null, new User(null, "Ann", "not-an-email",
                                List.of(new Address(null, "home", "1 Elm St.", "Austin", "TX", null))))).block();
                Check.expect("a ValidationException", "none", "ValidationException");
            } catch (ValidationException e) {
                System.out.println("  rejected before any SQL: " + e.violations().size() + " violations");
                e.violations().forEach(v -> System.out.println("    " + v));
                Check.expect("violations", e.violations().stream().map(v -> v.model() + "." + v.attribute()).toList(),
                        List.of("Product.title", "Product.title", "User.email", "Address.zip"));
            }
            Check.expect("products after the rejected create", db.count(Query.from(products)).block(), 1L);

            // findOrCreate on a unique key: the second call finds the row the first created
            Query<User> ann = Query.from(users).where(Where.eq("email", "ann@example.com"));
            FoundOrCreated<User> first = db.findOrCreate(ann, new User(null, "Ann", null, null)).block();
            FoundOrCreated<User> again = db.findOrCreate(ann, new User(null, "Someone else", null, null)).block();
            System.out.println("  findOrCreate: created=" + first.created() + ", then created=" + again.created());
            Check.expect("findOrCreate", List.of(first.created(), again.created(), again.entity().firstName()),
                    List.of(true, false, "Ann"));

            // optimistic locking: two copies of version 0; the second save is stale
            Product mine = new Product(chair.id(), "Armchair", null, chair.version(), null);
            Product theirs = new Product(chair.id(), "Stool", null, chair.version(), null);
            Product saved = db.save(products, theirs).block();
            System.out.println("  saved " + saved.title() + " at version " + saved.version());
            try {
                db.save(products, mine).block();
                Check.expect("an OptimisticLockException", "none", "OptimisticLockException");
            } catch (OptimisticLockException e) {
                System.out.println("  " + e.getMessage());
            }
            Check.expect("the stored title", db.reload(products, chair).block().title(), "Stool");
        } finally {
            db.close().block();
        }
    }
}
