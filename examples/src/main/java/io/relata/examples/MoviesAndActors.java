package io.relata.examples;

import io.relata.BelongsToMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.Database;
import io.relata.reactor.ToManyOperations;
import io.relata.plan.Ddl;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Many-to-many (seed 004, "Many-To-Many relationships"): Movies and Actors through the generated
 * junction table "ActorMovies", defined from both sides. Links are managed with the junction
 * operations add / has / count / remove / set, then loaded eagerly both ways.
 */
public final class MoviesAndActors {

    record Movie(Long id, String name, List<Actor> actors) {
    }

    record Actor(Long id, String name, List<Movie> movies) {
    }

    private MoviesAndActors() {
    }

    /**
     * @param url an R2DBC URL
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder();
        Model<Movie> movies = s.define(Movie.class);
        Model<Actor> actors = s.define(Actor.class);
        // A table name in through(...) generates the junction model, with "MovieId" and "ActorId".
        BelongsToMany<Movie, Actor> movieActors = movies.belongsToMany(actors, o -> o.through("ActorMovies"));
        BelongsToMany<Actor, Movie> actorMovies = actors.belongsToMany(movies, o -> o.through("ActorMovies"));
        Schema schema = s.build();
        System.out.println("  " + Ddl.createTable(movieActors.through()).sql());

        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();
            List<Movie> m = db.bulkCreate(movies, List.of(new Movie(null, "The Matrix", null),
                    new Movie(null, "John Wick", null))).collectList().block();
            List<Actor> a = db.bulkCreate(actors, List.of(new Actor(null, "Keanu Reeves", null),
                    new Actor(null, "Carrie-Anne Moss", null), new Actor(null, "Laurence Fishburne", null)))
                    .collectList().block();
            Movie matrix = m.get(0);
            Movie wick = m.get(1);
            Actor keanu = a.get(0);
            Actor carrie = a.get(1);
            Actor laurence = a.get(2);

            // Junction operations: each one is a single set-based statement (set: one transaction).
            ToManyOperations<Movie, Actor> cast = db.association(movieActors);
            cast.add(matrix, List.of(keanu, carrie)).block();
            System.out.println("  add(The Matrix, [Keanu, Carrie-Anne]) -> count " + cast.count(matrix).block()
                    + ", has Keanu: " + cast.has(matrix, keanu).block()
                    + ", has Laurence: " + cast.has(matrix, laurence).block());
            Check.expect("count after add", cast.count(matrix).block(), 2L);
            Check.expect("has Laurence before set", cast.has(matrix, laurence).block(), false);

            cast.add(matrix, keanu).block();               // already linked: nothing happens
            System.out.println("  add(The Matrix, Keanu) again -> count " + cast.count(matrix).block());
            Check.expect("count after adding again", cast.count(matrix).block(), 2L);

            cast.remove(matrix, carrie).block();
            System.out.println("  remove(The Matrix, Carrie-Anne) -> count " + cast.count(matrix).block()
                    + ", has Carrie-Anne: " + cast.has(matrix, carrie).block());
            Check.expect("count after remove", cast.count(matrix).block(), 1L);

            cast.set(matrix, List.of(keanu, carrie, laurence)).block();    // replaces the whole set
            System.out.println("  set(The Matrix, [Keanu, Carrie-Anne, Laurence]) -> count "
                    + cast.count(matrix).block() + ", has all three: "
                    + cast.has(matrix, List.of(keanu, carrie, laurence)).block());
            Check.expect("count after set", cast.count(matrix).block(), 3L);

            db.association(actorMovies).add(keanu, wick).block();          // the other direction
            System.out.println("  add(Keanu, John Wick) from the Actor side -> Keanu's movie count "
                    + db.association(actorMovies).count(keanu).block());

            // Eager loading both ways (junction joined in the same query).
            System.out.println("  findAll(Movie, include: Actors):");
            List<Movie> withCast = db.findAll(Query.from(movies).orderBy(Order.asc("name"))
                    .include(movieActors, i -> i.orderBy(Order.asc("name")))).collectList().block();
            withCast.forEach(x -> System.out.println("    " + x.name() + ": "
                    + x.actors().stream().map(Actor::name).collect(Collectors.joining(", "))));
            System.out.println("  findAll(Actor, include: Movies):");
            List<Actor> withMovies = db.findAll(Query.from(actors).orderBy(Order.asc("name"))
                    .include(actorMovies, i -> i.orderBy(Order.asc("name")))).collectList().block();
            withMovies.forEach(x -> System.out.println("    " + x.name() + ": "
                    + x.movies().stream().map(Movie::name).collect(Collectors.joining(", "))));
            Check.expect("Keanu's movies", withMovies.get(1).movies().stream().map(Movie::name).toList(),
                    List.of("John Wick", "The Matrix"));
            Check.expect("The Matrix cast", withCast.get(1).actors().size(), 3);
        } finally {
            db.close().block();
        }
    }
}
