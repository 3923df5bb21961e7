package io.relata.examples.social;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A self-driving tour of {@link SocialApp}: starts it on a free port, seeds it, calls each endpoint over HTTP
 * as a client would (printing what comes back and checking it), and stops it. Part of the examples run
 * ({@code Examples}, scenario {@code SocialApp}).
 */
public final class SocialDemo {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private SocialDemo() {
    }

    /**
     * @param r2dbcUrl the database
     * @param port the HTTP port (0: a free one)
     * @return the application's properties for a run against that database
     */
    static Map<String, Object> properties(String r2dbcUrl, int port) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.r2dbc.url", r2dbcUrl);
        p.put("server.port", port);
        p.put("relata.sync", "force");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "WARN");
        return p;
    }

    /**
     * Signs up alice, bob and carol (with profiles and posts), through the transactional service.
     *
     * @param context the running application
     * @return completes when seeded
     */
    static Mono<Void> seed(ConfigurableApplicationContext context) {
        SocialService service = context.getBean(SocialService.class);
        return service.signUp("alice", "writes about reactive streams", List.of("Backpressure", "Cold publishers"))
                .then(service.signUp("bob", "reads everything", List.of("Hello")))
                .then(service.signUp("carol", "joins things", List.of()))
                .then();
    }

    /**
     * Starts the application against a database, calls every endpoint, checks the answers, stops it.
     *
     * @param r2dbcUrl an R2DBC URL
     * @throws IllegalStateException when an answer is not what the API promises
     */
    public static void run(String r2dbcUrl) {
        SpringApplication app = new SpringApplication(SocialApp.class);
        app.setDefaultProperties(properties(r2dbcUrl, 0));
        try (ConfigurableApplicationContext context = app.run()) {
            seed(context).block(TIMEOUT);
            String port = context.getEnvironment().getProperty("local.server.port");
            System.out.println("  SocialApp started on port " + port + " (Relata's starter, Boot's pool, embedded PostgreSQL)");
            WebClient web = WebClient.create("http://localhost:" + port);

            List<String> stream = ndjson(web, "/users?include=profile,posts");
            System.out.println("  GET /users?include=profile,posts  (NDJSON, one line per user as it is read)");
            stream.forEach(line -> System.out.println("    " + line));
            expect("users streamed", stream.size(), 3);
            expect("alice's profile and posts", stream.get(0).contains("\"bio\":\"writes about reactive streams\"")
                    && stream.get(0).contains("\"title\":\"Backpressure\""), true);

            long alice = id(stream.get(0));
            long bob = id(stream.get(1));
            long carol = id(stream.get(2));
            expect("PUT /users/bob/following/alice", status(web.put().uri("/users/{a}/following/{b}", bob, alice)), 204);
            expect("PUT /users/carol/following/alice", status(web.put().uri("/users/{a}/following/{b}", carol, alice)), 204);
            List<String> followers = ndjson(web, "/users/" + alice + "/followers");
            System.out.println("  PUT bob and carol following alice; GET /users/" + alice + "/followers (lazy load):");
            followers.forEach(line -> System.out.println("    " + line));
            expect("alice's followers", followers.stream().map(SocialDemo::username).toList(), List.of("bob", "carol"));

            expect("DELETE /users/carol/following/alice",
                    status(web.delete().uri("/users/{a}/following/{b}", carol, alice)), 204);
            String one = web.get().uri("/users/{id}", alice).retrieve().bodyToMono(String.class).block(TIMEOUT);
            System.out.println("  DELETE carol's follow; GET /users/" + alice + ":");
            System.out.println("    " + one);
            expect("alice's followers after the unfollow", Objects.requireNonNull(one).contains("\"followers\":[{\"id\":"
                    + bob + ",\"username\":\"bob\""), true);

            System.out.println("  errors as problem details:");
            String conflict = problem(web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "alice", "bio", "again")));
            String badInclude = problem(web.get().uri("/users?include=friends"));
            String missing = problem(web.get().uri("/users/999999"));
            System.out.println("    POST /users {username: alice}  -> " + conflict);
            System.out.println("    GET /users?include=friends     -> " + badInclude);
            System.out.println("    GET /users/999999              -> " + missing);
            expect("taken username", conflict.startsWith("409 "), true);
            expect("unknown include", badInclude.startsWith("400 ") && badInclude.contains("friends"), true);
            expect("unknown user", missing.startsWith("404 "), true);
            expect("nothing written by the failed sign-up", ndjson(web, "/users").size(), 3);

            List<String> first = web.get().uri("/users?include=posts").accept(MediaType.APPLICATION_NDJSON).retrieve()
                    .bodyToFlux(String.class).take(1).collectList().block(TIMEOUT);
            ConnectionFactory pool = context.getBean(ConnectionFactory.class);
            int acquired = Mono.fromSupplier(() -> ((ConnectionPool) pool).getMetrics().orElseThrow().acquiredSize())
                    .filter(n -> n == 0).repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
                    .block(TIMEOUT);
            System.out.println("  a client reading 1 user and leaving: " + first + "; connections still acquired: " + acquired);
        }
        System.out.println("  SocialApp stopped");
    }

    private static List<String> ndjson(WebClient web, String uri) {
        return web.get().uri(uri).accept(MediaType.APPLICATION_NDJSON).retrieve().bodyToFlux(String.class)
                .collectList().block(TIMEOUT);
    }

    private static int status(WebClient.RequestHeadersSpec<?> request) {
        return Objects.requireNonNull(request.exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                .block(TIMEOUT));
    }

    private static String problem(WebClient.RequestHeadersSpec<?> request) {
        return Objects.requireNonNull(request.exchangeToMono(r -> r.bodyToMono(String.class)
                .map(body -> r.statusCode().value() + " " + body)).block(TIMEOUT));
    }

    private static long id(String json) {
        return Long.parseLong(json.replaceFirst("^\\{\"id\":(\\d+),.*$", "$1"));
    }

    private static String username(String json) {
        return json.replaceFirst("^.*?\"username\":\"([^\"]*)\".*$", "$1");
    }

    private static void expect(String what, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            throw new IllegalStateException(what + ": expected " + expected + " but was " + actual);
        }
    }
}
