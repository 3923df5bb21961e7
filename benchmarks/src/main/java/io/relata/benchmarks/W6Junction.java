package io.relata.benchmarks;

import io.r2dbc.spi.Connection;
import io.relata.benchmarks.Model.Playlist;
import io.relata.benchmarks.Model.Song;
import io.relata.reactor.ToManyOperations;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * W6: junction writes. One op = link K songs to a playlist, then unlink them (two operations, each on its own
 * pooled connection, leaving the table as it was). Unit ops/s (one op = add K + remove K).
 */
public class W6Junction {
    static final String INSERT_UNNEST = "INSERT INTO playlist_songs (playlist_id, song_id) SELECT $1, u.k FROM unnest($2::bigint[]) "
            + "AS u(k) ON CONFLICT DO NOTHING";
    static final String DELETE_ANY = "DELETE FROM playlist_songs WHERE playlist_id = $1 AND song_id = ANY($2)";
    static final String INSERT_ONE = "INSERT INTO playlist_songs (playlist_id, song_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    static final String DELETE_ONE = "DELETE FROM playlist_songs WHERE playlist_id = $1 AND song_id = $2";

    /** The targets: K song keys. */
    @State(Scope.Benchmark)
    public static class Targets {
        @Param({"1", "10", "1000"})
        public int k;
        public List<Long> keys;
        public Long[] array;
        public final Playlist playlist = new Playlist(1L, "playlist-1", null);

        @Setup(Level.Trial)
        public void setup() {
            keys = new ArrayList<>(k);
            for (long i = 1; i <= k; i++) {
                keys.add(i);
            }
            array = keys.toArray(Long[]::new);
        }
    }

    @Benchmark
    public long relata(Peers.Relata r, Targets t) {
        ToManyOperations<Playlist, Song> songs = r.db.association(r.m.playlistSongs);
        songs.add(t.playlist, t.keys).then(songs.remove(t.playlist, t.keys)).block();
        return t.k;
    }

    /** Set-wise by hand: {@code INSERT ... SELECT FROM unnest($2)} and {@code DELETE ... = ANY($2)}. */
    @Benchmark
    public long L(Peers.Raw raw, Targets t) {
        Mono<Long> add = Mono.usingWhen(raw.pool.create(), c -> Peers.update(c, INSERT_UNNEST, t.playlist.id(), t.array),
                Connection::close, (c, e) -> c.close(), Connection::close);
        Mono<Long> remove = Mono.usingWhen(raw.pool.create(), c -> Peers.update(c, DELETE_ANY, t.playlist.id(), t.array),
                Connection::close, (c, e) -> c.close(), Connection::close);
        return add.then(remove).block();
    }

    /** One statement per row, each operation on one connection. */
    @Benchmark
    public long N(Peers.Raw raw, Targets t) {
        Mono<Long> add = Mono.usingWhen(raw.pool.create(), c -> Flux.fromIterable(t.keys)
                        .concatMap(k -> Peers.update(c, INSERT_ONE, t.playlist.id(), k)).reduce(0L, Long::sum),
                Connection::close, (c, e) -> c.close(), Connection::close);
        Mono<Long> remove = Mono.usingWhen(raw.pool.create(), c -> Flux.fromIterable(t.keys)
                        .concatMap(k -> Peers.update(c, DELETE_ONE, t.playlist.id(), k)).reduce(0L, Long::sum),
                Connection::close, (c, e) -> c.close(), Connection::close);
        return add.then(remove).block();
    }
}
