package io.relata.examples.social;

import io.relata.QueryDefinitionException;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.Database;
import java.util.Arrays;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The HTTP API. Streams are NDJSON: each user is written as soon as its rows are read, and the database is
 * read only as fast as the client reads (backpressure through Netty down to the query). Errors are
 * problem details: 400 for a bad include, 404 for an unknown user, 409 for a taken username or a broken
 * reference.
 */
@RestController
@RequestMapping("/users")
public class SocialController {
    private final Database db;
    private final Social social;
    private final SocialService service;

    SocialController(Database db, Social social, SocialService service) {
        this.db = db;
        this.social = social;
        this.service = service;
    }

    /** The body of {@code POST /users}. */
    public record SignUp(String username, String bio, List<String> posts) {
    }

    /**
     * {@code GET /users?include=profile,posts}: every user, with the associations named (JSON property names
     * or aliases), as NDJSON.
     */
    @GetMapping(produces = MediaType.APPLICATION_NDJSON_VALUE)
    public Flux<Social.User> users(@RequestParam(defaultValue = "") String include) {
        Query<Social.User> query = Query.from(social.users).orderBy(Order.asc("username"));
        for (String name : Arrays.stream(include.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList()) {
            query = query.include(name);   // QueryDefinitionException (400) before any SQL for an unknown name
        }
        return db.findAll(query);
    }

    /** {@code GET /users/{id}}: one user with profile, posts, followers and following; 404 when there is none. */
    @GetMapping("/{id}")
    public Mono<Social.User> user(@PathVariable long id) {
        return db.findByPk(Query.from(social.users).include("profile").include("posts")
                        .include("followers").include("following"), id)
                .switchIfEmpty(Mono.error(() -> new NoSuchUser(id)));
    }

    /** {@code GET /users/{id}/followers}: a lazy load of one association, as NDJSON. */
    @GetMapping(path = "/{id}/followers", produces = MediaType.APPLICATION_NDJSON_VALUE)
    public Flux<Social.User> followers(@PathVariable long id) {
        return db.findByPk(social.users, id).switchIfEmpty(Mono.error(() -> new NoSuchUser(id)))
                .flatMapMany(user -> db.association(social.followers).get(user));
    }

    /** {@code PUT /users/{id}/following/{other}}: follow (a junction row; idempotent). */
    @PutMapping("/{id}/following/{other}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> follow(@PathVariable long id, @PathVariable long other) {
        return db.findByPk(social.users, id).switchIfEmpty(Mono.error(() -> new NoSuchUser(id)))
                .flatMap(user -> db.association(social.following).add(user, other));
    }

    /** {@code DELETE /users/{id}/following/{other}}: unfollow. */
    @DeleteMapping("/{id}/following/{other}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> unfollow(@PathVariable long id, @PathVariable long other) {
        return db.findByPk(social.users, id).switchIfEmpty(Mono.error(() -> new NoSuchUser(id)))
                .flatMap(user -> db.association(social.following).remove(user, other));
    }

    /** {@code POST /users}: sign up (the transactional service); 409 when the username is taken. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Social.User> signUp(@RequestBody SignUp body) {
        return service.signUp(body.username(), body.bio() == null ? "" : body.bio(),
                body.posts() == null ? List.of() : body.posts());
    }

    /** No user has that key. */
    static final class NoSuchUser extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchUser(long id) {
            super("no user with id " + id);
        }
    }

    @ExceptionHandler(NoSuchUser.class)
    ProblemDetail notFound(NoSuchUser e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown user", e.getMessage());
    }

    @ExceptionHandler({QueryDefinitionException.class, InvalidDataAccessApiUsageException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad query", e.getMessage());
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail conflict(DuplicateKeyException e) {
        return problem(HttpStatus.CONFLICT, "Already exists", "that username is taken");
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail integrity(DataIntegrityViolationException e) {
        return problem(HttpStatus.CONFLICT, "Broken reference", "a referenced user does not exist");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
