package io.relata.spring;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.Schema;
import io.relata.query.Query;
import io.relata.reactor.Database;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * The application the starter's tests boot: a {@link Schema} bean (so the auto-configuration defines the
 * {@link Database}), a {@code DatabaseClient}, a {@code @Transactional} service and a streaming endpoint.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableTransactionManagement
@Import({LibraryService.class, TestApp.Authors.class, TestApp.AuthorRepository.class})
class TestApp {

    @Bean
    Library library() {
        return new Library();
    }

    @Bean
    Schema schema(Library library) {
        return library.schema;
    }

    /** Declared here: Boot 3.5 defines one only with Spring Data R2DBC. */
    @Bean
    DatabaseClient databaseClient(ConnectionFactory factory) {
        return DatabaseClient.create(factory);
    }

    /** Observations land here (and, through Boot's handlers, in the meter registry). */
    @Bean
    TestObservationRegistry observationRegistry() {
        return TestObservationRegistry.create();
    }

    /** A repository: what its methods throw is translated by Spring's persistence exception translation. */
    @Repository
    public static class AuthorRepository {
        private final Database db;
        private final Library library;

        AuthorRepository(Database db, Library library) {
            this.db = db;
            this.library = library;
        }

        /** @return the authors with the association named as a client would name it (alias or slot) */
        public Flux<Library.Author> byInclude(String include) {
            return db.findAll(Query.from(library.authors).include(include));
        }
    }

    /** Streams every author with books as NDJSON; counts streams that the client cancelled. */
    @RestController
    static class Authors {
        final AtomicInteger cancelled = new AtomicInteger();
        private final Database db;
        private final Library library;

        Authors(Database db, Library library) {
            this.db = db;
            this.library = library;
        }

        @GetMapping(path = "/authors", produces = MediaType.APPLICATION_NDJSON_VALUE)
        Flux<Library.Author> authors() {
            return db.findAll(Query.from(library.authors).include("books"))
                    .doOnCancel(cancelled::incrementAndGet);
        }
    }
}
