package io.relata.examples;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.reactor.Database;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sequelize's "special methods/mixins" (seed 004): instead of {@code foo.getBars()}, declare an
 * interface whose method names follow Sequelize's (prefix + alias, singular or plural) and whose
 * first parameter is the source; {@code db.mixins(...)} implements it. This replays the guide's
 * Foo.hasMany(Bar) example line by line and prints what each {@code console.log} would print.
 */
public final class Mixins {

    record Foo(Long id, String name, List<Bar> bars) {
    }

    record Bar(Long id, String name, Long fooId) {
    }

    /** The methods Sequelize adds to Foo instances for Foo.hasMany(Bar), as a Java interface. */
    public interface FooMixins {
        Flux<Bar> getBars(Foo foo);

        Mono<Long> countBars(Foo foo);

        Mono<Boolean> hasBar(Foo foo, Bar bar);

        Mono<Void> addBar(Foo foo, Bar bar);

        Mono<Void> addBars(Foo foo, List<Bar> bars);

        Mono<Void> removeBar(Foo foo, Bar bar);

        Mono<Void> setBars(Foo foo, List<Bar> bars);

        Mono<Bar> createBar(Foo foo, Bar bar);
    }

    private Mixins() {
    }

    /**
     * @param url an R2DBC URL
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder();
        Model<Foo> foos = s.define(Foo.class);
        Model<Bar> bars = s.define(Bar.class);
        HasMany<Foo, Bar> fooBars = foos.hasMany(bars);
        Schema schema = s.build();

        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();
            FooMixins mixins = db.mixins(foos, FooMixins.class);   // every method is resolved here, once
            System.out.println("  " + fooBars.source().name() + ".hasMany(" + fooBars.target().name()
                    + ") mixins: " + mixins);

            Foo foo = db.create(foos, new Foo(null, "the-foo", null)).block();
            Bar bar1 = db.create(bars, new Bar(null, "some-bar", null)).block();
            Bar bar2 = db.create(bars, new Bar(null, "another-bar", null)).block();
            System.out.println("  const foo = await Foo.create({ name: 'the-foo' });");
            System.out.println("  const bar1 = await Bar.create({ name: 'some-bar' });");
            System.out.println("  const bar2 = await Bar.create({ name: 'another-bar' });");

            log("foo.getBars()", mixins.getBars(foo).map(Bar::name).collectList().block(), List.of());
            log("foo.countBars()", mixins.countBars(foo).block(), 0L);
            log("foo.hasBar(bar1)", mixins.hasBar(foo, bar1).block(), false);
            await("foo.addBars([bar1, bar2])", mixins.addBars(foo, List.of(bar1, bar2)));
            log("foo.countBars()", mixins.countBars(foo).block(), 2L);
            await("foo.addBar(bar1)", mixins.addBar(foo, bar1));
            log("foo.countBars()", mixins.countBars(foo).block(), 2L);
            log("foo.hasBar(bar1)", mixins.hasBar(foo, bar1).block(), true);
            await("foo.removeBar(bar2)", mixins.removeBar(foo, bar2));
            log("foo.countBars()", mixins.countBars(foo).block(), 1L);
            await("foo.createBar({ name: 'yet-another-bar' })", mixins.createBar(foo, new Bar(null, "yet-another-bar", null)));
            log("foo.countBars()", mixins.countBars(foo).block(), 2L);
            await("foo.setBars([]); // Un-associate all previously associated bars", mixins.setBars(foo, List.of()));
            log("foo.countBars()", mixins.countBars(foo).block(), 0L);
        } finally {
            db.close().block();
        }
    }

    /** Runs a statement of the guide that prints nothing. */
    private static void await(String statement, Mono<?> operation) {
        operation.block();
        System.out.println("  await " + (statement.contains(";") ? statement : statement + ";"));
    }

    /** Prints a {@code console.log} line of the guide with the value we got, and checks it is the guide's. */
    private static void log(String call, Object actual, Object expected) {
        System.out.println("  console.log(await " + call + "); // " + actual);
        Check.expect(call, actual, expected);
    }
}
