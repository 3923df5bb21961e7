package io.relata.examples.social;

import io.relata.reactor.Database;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

/** Writes that must happen together: Relata and DatabaseClient in one Spring transaction. */
@Service
public class SocialService {
    private final Database db;
    private final DatabaseClient client;
    private final Social social;

    SocialService(Database db, DatabaseClient client, Social social) {
        this.db = db;
        this.client = client;
        this.social = social;
    }

    /**
     * Creates a user with a profile and first posts, and an audit row written with DatabaseClient: one
     * transaction (the same connection for all of it). A taken username fails with Spring's
     * {@code DuplicateKeyException} and nothing is written.
     *
     * @param username the new user's name
     * @param bio the profile's text
     * @param titles titles of the user's first posts
     * @return the user with profile and posts
     */
    @Transactional
    public Mono<Social.User> signUp(String username, String bio, List<String> titles) {
        return db.create(social.users, Social.User.named(username))
                .flatMap(user -> db.association(social.userProfile).create(user, new Social.Profile(null, bio, null))
                        .then(reactor.core.publisher.Flux.fromIterable(titles)
                                .concatMap(t -> db.association(social.userPosts).create(user,
                                        new Social.Post(null, t, "", null)))
                                .then())
                        .then(client.sql("INSERT INTO \"Audits\" (\"action\") VALUES ($1)")
                                .bind(0, "sign-up " + username).then())
                        .then(db.findByPk(io.relata.query.Query.from(social.users).include("profile").include("posts"),
                                user.id())));
    }
}
