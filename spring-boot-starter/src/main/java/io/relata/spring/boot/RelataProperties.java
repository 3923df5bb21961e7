package io.relata.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code relata.*} properties of the starter.
 *
 * <ul>
 *   <li>{@code relata.sync}: {@code none} (default), {@code create} (create missing tables at startup,
 *       {@code Database.sync()}), {@code force} (drop and re-create them, {@code sync(true)}: data is lost)</li>
 *   <li>{@code relata.sync-timeout}: how long startup waits for the sync (default 60s)</li>
 *   <li>{@code relata.batch-window}: how long lazy loads wait to be batched (default 0.5ms)</li>
 *   <li>{@code relata.pool-defaults}: apply Relata's recommended pool settings where
 *       {@code spring.r2dbc.*} leaves them unset (default true; see {@link RelataPoolDefaults})</li>
 * </ul>
 */
@ConfigurationProperties("relata")
public class RelataProperties {
    /** What {@code relata.sync} does at startup. */
    public enum Sync {
        /** Nothing. */
        NONE,
        /** {@code CREATE TABLE IF NOT EXISTS} for every model. */
        CREATE,
        /** Drop every model's table, then create them. */
        FORCE
    }

    private Sync sync = Sync.NONE;
    private Duration syncTimeout = Duration.ofSeconds(60);
    private Duration batchWindow = Duration.ofNanos(500_000);
    private boolean poolDefaults = true;

    /** Creates the properties with their defaults. */
    public RelataProperties() {
    }

    /** @return the startup sync mode */
    public Sync getSync() {
        return sync;
    }

    /** @param sync the startup sync mode */
    public void setSync(Sync sync) {
        this.sync = sync;
    }

    /** @return how long startup waits for the sync */
    public Duration getSyncTimeout() {
        return syncTimeout;
    }

    /** @param syncTimeout how long startup waits for the sync */
    public void setSyncTimeout(Duration syncTimeout) {
        this.syncTimeout = syncTimeout;
    }

    /** @return the lazy-load batch window */
    public Duration getBatchWindow() {
        return batchWindow;
    }

    /** @param batchWindow the lazy-load batch window */
    public void setBatchWindow(Duration batchWindow) {
        this.batchWindow = batchWindow;
    }

    /** @return whether Relata's pool defaults are applied */
    public boolean isPoolDefaults() {
        return poolDefaults;
    }

    /** @param poolDefaults whether Relata's pool defaults are applied */
    public void setPoolDefaults(boolean poolDefaults) {
        this.poolDefaults = poolDefaults;
    }
}
