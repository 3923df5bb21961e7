package io.relata.examples;

import io.relata.BelongsTo;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import java.util.List;

/**
 * One-to-one (seed 004, "Basics of queries involving associations"): a Captain has one Ship, a Ship
 * belongs to a Captain. Defines the pair, creates the tables, inserts rows, then loads the ship
 * eagerly (one joined query) and lazily (a second query, only when asked for).
 */
public final class QuickStart {

    // Entities are records. Scalar components are columns; a component whose type is another
    // model's entity is an association slot, filled only when that association is included.
    record Captain(Long id, String name, Integer skillLevel, Ship ship) {
    }

    record Ship(Long id, String name, Integer crewCapacity, Integer amountOfSails, Long captainId, Captain captain) {
    }

    private QuickStart() {
    }

    /**
     * @param url an R2DBC URL, e.g. {@code r2dbc:postgresql://postgres@localhost:5432/test}
     */
    public static void run(String url) {
        // 1. Metadata: defined once, validated and frozen by build().
        SchemaBuilder s = Schema.builder();
        Model<Captain> captains = s.define(Captain.class, m -> m.timestamps(false));
        Model<Ship> ships = s.define(Ship.class, m -> m.timestamps(false));
        HasOne<Captain, Ship> captainShip = captains.hasOne(ships);        // Ships."captainId"
        BelongsTo<Ship, Captain> shipCaptain = ships.belongsTo(captains);  // the same foreign key, seen from Ship
        Schema schema = s.build();

        // 2. Runtime: a pooled connection to PostgreSQL. Everything below returns Mono/Flux;
        //    block() is only for this demo's main thread, never inside a reactive pipeline.
        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();    // DROP + CREATE TABLE "Captains", "Ships" (with REFERENCES)
            System.out.println("  sync(true): tables " + captains.tableName() + " and " + ships.tableName()
                    + " created; foreign key Ships." + captainShip.foreignKey().name());

            Captain jack = db.create(captains, new Captain(null, "Jack Sparrow", 10, null)).block();
            Captain davy = db.create(captains, new Captain(null, "Davy Jones", 8, null)).block();
            Ship pearl = db.create(ships, new Ship(null, "Black Pearl", 50, 3, jack.id(), null)).block();
            System.out.println("  created " + jack.name() + " (id " + jack.id() + "), " + davy.name()
                    + " (id " + davy.id() + ") and the " + pearl.name() + " (captainId " + pearl.captainId() + ")");

            // Eager loading: one LEFT OUTER JOIN; each captain arrives with its ship (or null).
            System.out.println("  eager: findAll(Captain, include: Ship)");
            List<Captain> withShips = db.findAll(Query.from(captains)
                    .include(captainShip)
                    .orderBy(Order.asc("name"))).collectList().block();
            for (Captain c : withShips) {
                System.out.println("    " + c.name() + " (skill " + c.skillLevel() + ") commands "
                        + (c.ship() == null ? "no ship" : "the " + c.ship().name()));
            }
            Check.expect("captains in name order", withShips.stream().map(Captain::name).toList(),
                    List.of("Davy Jones", "Jack Sparrow"));
            Check.expect("Jack's ship, eagerly", withShips.get(1).ship().name(), "Black Pearl");
            Check.expect("Davy's ship, eagerly", withShips.get(0).ship(), null);

            // The other side of the pair: a ship with its captain. Instead of the association,
            // an unaliased one can be included by its model (Sequelize's { include: Captain }).
            Ship ship = db.findOne(Query.from(ships).include(captains)).block();
            System.out.println("  eager: findOne(Ship, include: Captain) -> the " + ship.name()
                    + " is commanded by " + ship.captain().name());
            Check.expect("the Black Pearl's captain", ship.captain().name(), "Jack Sparrow");
            Check.expect("same as including the association", db.findOne(Query.from(ships).include(shipCaptain))
                    .map(x -> x.captain().name()).block(), "Jack Sparrow");

            // Lazy loading: fetch the captain alone, then the ship only when we want it.
            Captain awesomeCaptain = db.findOne(Query.from(captains).where(Where.eq("name", "Jack Sparrow"))).block();
            System.out.println("  lazy: Name: " + awesomeCaptain.name() + ", Skill Level: "
                    + awesomeCaptain.skillLevel() + ", ship loaded yet: " + (awesomeCaptain.ship() != null));
            Ship hisShip = db.association(captainShip).get(awesomeCaptain).block();   // runs the second query
            System.out.println("  lazy: Ship Name: " + hisShip.name() + ", Amount of Sails: " + hisShip.amountOfSails());
            Check.expect("Jack's ship, lazily", hisShip.name(), "Black Pearl");
            Check.expect("Davy's ship, lazily", db.association(captainShip).get(davy).block(), null);
        } finally {
            db.close().block();
        }
    }
}
