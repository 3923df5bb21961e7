package io.relata.benchmarks;

import io.relata.benchmarks.Model.Author;
import io.relata.benchmarks.Model.Book;
import io.relata.benchmarks.Model.Item;
import io.relata.benchmarks.Model.Novel;
import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Tag;
import io.relata.benchmarks.Model.Team;
import io.relata.benchmarks.Model.Writer;
import io.relata.benchmarks.hibernate.HAuthor;
import io.relata.benchmarks.hibernate.HBook;
import io.relata.benchmarks.hibernate.HItem;
import io.relata.benchmarks.hibernate.HPlayer;
import io.relata.benchmarks.hibernate.HTag;
import io.relata.benchmarks.hibernate.HTeam;
import java.util.List;

/**
 * Checksums over every field of a result, the same formula for every peer: each benchmark returns one (JMH
 * consumes it, so nothing is optimised away) and the verification before the run requires them to be equal.
 */
public final class Sums {
    private Sums() {
    }

    public static long item(Item i) {
        return i.id() + i.quantity() + (long) (i.price() * 4) + i.name().length() + i.sku().length();
    }

    public static long item(HItem i) {
        return i.id + i.quantity + (long) (i.price * 4) + i.name.length() + i.sku.length();
    }

    public static long player(Player p) {
        return p.id() * 3 + p.number() + p.teamId() + p.name().length();
    }

    public static long player(HPlayer p) {
        return p.id * 3 + p.number + p.teamId + p.name.length();
    }

    public static long teamOnly(Team t) {
        return t.id() * 7 + t.name().length() + t.city().length();
    }

    public static long teamOnly(HTeam t) {
        return t.id * 7 + t.name.length() + t.city.length();
    }

    /** A team and its players. */
    public static long team(Team t) {
        long s = teamOnly(t) + 1000L * t.players().size();
        for (Player p : t.players()) {
            s += player(p);
        }
        return s;
    }

    public static long team(HTeam t) {
        long s = teamOnly(t) + 1000L * t.players.size();
        for (HPlayer p : t.players) {
            s += player(p);
        }
        return s;
    }

    /** A player and its team. */
    public static long playerWithTeam(Player p) {
        return player(p) + (p.team() == null ? 0 : teamOnly(p.team()));
    }

    public static long playerWithTeam(HPlayer p) {
        return player(p) + (p.team == null ? 0 : teamOnly(p.team));
    }

    public static long author(Author a) {
        long s = a.id() * 11 + a.name().length() + a.bio().length() + 1000L * a.books().size();
        for (Book b : a.books()) {
            s += b.id() * 5 + b.title().length() + b.summary().length() + b.year() + b.authorId() + 100L * b.tags().size();
            for (Tag t : b.tags()) {
                s += t.id() + t.name().length();
            }
        }
        return s;
    }

    public static long author(HAuthor a) {
        long s = a.id * 11 + a.name.length() + a.bio.length() + 1000L * a.books.size();
        for (HBook b : a.books) {
            s += b.id * 5 + b.title.length() + b.summary.length() + b.year + b.authorId + 100L * b.tags.size();
            for (HTag t : b.tags) {
                s += t.id + t.name.length();
            }
        }
        return s;
    }

    public static long writer(Writer w) {
        long s = w.id() * 13 + w.name().length() + 1000L * w.novels().size();
        int i = 1;
        for (Novel n : w.novels()) {
            // the position counts: the newest first
            s += i++ * (n.id() * 7 + n.title().length() + n.year() + n.writerId());
        }
        return s;
    }

    public static long authors(List<Author> list) {
        long s = 0;
        for (Author a : list) {
            s += author(a);
        }
        return s;
    }
}
