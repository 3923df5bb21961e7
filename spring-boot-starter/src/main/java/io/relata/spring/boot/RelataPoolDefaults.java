package io.relata.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Relata's recommended R2DBC pool settings, as the lowest-precedence property source (so anything the
 * application sets wins; {@code relata.pool-defaults=false} turns them off):
 *
 * <ul>
 *   <li>{@code spring.r2dbc.pool.validation-query=SELECT 1}, {@code validation-depth=remote},
 *       {@code max-validation-time=10s}: a connection is checked on acquire (r2dbc-postgresql 1.1 can leave a
 *       connection unusable after a large result was cancelled). {@code Database.connect}'s own pool validates
 *       locally only, because Relata never lets a cancel reach the driver; a Spring pool is shared with
 *       {@code DatabaseClient} and Spring Data R2DBC, which cancel exchanges inside the driver, so here the round
 *       trip stays (when only Relata uses the pool, {@code relata.pool-defaults=false} leaves Boot's local
 *       validation without a query, and short lookups run about 1.9× faster; set the other two then by hand);</li>
 *   <li>{@code spring.r2dbc.pool.max-size} = 2 × available processors (at least 4), {@code initial-size=1}:
 *       more connections than that only queue in PostgreSQL (measured: 4 on 2 cores);</li>
 *   <li>{@code spring.r2dbc.properties.forceBinary=true} when {@code spring.r2dbc.url} is a PostgreSQL URL (or,
 *       when the URL is not known yet, r2dbc-postgresql is on the class path): binary transfer decodes rows
 *       about 3× faster.</li>
 * </ul>
 *
 * <p>Registered in {@code META-INF/spring.factories} as an application listener (it must run before Boot
 * binds {@code spring.r2dbc.*}).
 */
public final class RelataPoolDefaults implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
    /** The name of the property source holding the defaults. */
    public static final String SOURCE = "relataPoolDefaults";

    /** Creates the listener (Boot does, from {@code spring.factories}). */
    public RelataPoolDefaults() {
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (!environment.getProperty("relata.pool-defaults", Boolean.class, true)
                || environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults(environment)));
    }

    static Map<String, Object> defaults(ConfigurableEnvironment environment) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.r2dbc.pool.validation-query", "SELECT 1");
        defaults.put("spring.r2dbc.pool.validation-depth", "remote");
        defaults.put("spring.r2dbc.pool.max-validation-time", "10s");
        defaults.put("spring.r2dbc.pool.initial-size", "1");
        defaults.put("spring.r2dbc.pool.max-size", Integer.toString(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
        // the URL may also come later (tests' dynamic properties): then the driver on the class path decides
        String url = environment.getProperty("spring.r2dbc.url", "");
        boolean postgres = url.isEmpty() ? POSTGRES_DRIVER_PRESENT : url.matches("^r2dbc:(pool:)?postgres(ql)?:.*");
        if (postgres) {
            defaults.put("spring.r2dbc.properties.forceBinary", "true");
        }
        return defaults;
    }

    private static final boolean POSTGRES_DRIVER_PRESENT = isPresent("io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider");

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, RelataPoolDefaults.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** After Boot has loaded the application's configuration (config data), so that its values are seen. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
