package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * Micrometer is an optional dependency: the failsafe execution {@code without-micrometer} runs this class with
 * it removed from the class path, and every kind of operation still works (the default execution skips it).
 */
@ExtendWith(TestDatabase.class)
class WithoutMicrometerIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Team(Long id, String name, List<Player> players) {
    }

    record Player(Long id, String name, Long TeamId) {
    }

    @Test
    void everyOperationRunsWithoutMicrometerOnTheClassPath(TestDatabase.Handle h) {
        assertThatThrownBy(() -> Class.forName("io.micrometer.observation.Observation"))
                .isInstanceOf(ClassNotFoundException.class);
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Team> teams = s.define(Team.class);
        Model<Player> players = s.define(Player.class);
        HasMany<Team, Player> teamPlayers = teams.hasMany(players);
        Schema schema = s.build();
        Database db = Database.connect(h.url(), schema);
        try {
            db.sync(true).then(db.transaction(tx -> db.create(teams, new Team(null, "Reds", null))
                            .flatMap(t -> db.association(teamPlayers).create(t, new Player(null, "Ann", null))
                                    .then(db.association(teamPlayers).get(t).count()))).single())
                    .as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
            db.findAll(Query.from(teams).include("players")).as(StepVerifier::create)
                    .assertNext(t -> assertThat(t.players()).extracting(Player::name).containsExactly("Ann"))
                    .expectComplete().verify(TIMEOUT);
            Pools.awaitNoAcquired(db.connectionFactory());
        } finally {
            db.close().block(TIMEOUT);
        }
    }
}
