package io.relata.benchmarks.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Hibernate's view of {@code authors}. The books are a set: a list (a bag) fetched together with each book's
 * tags would hold every book once per tag.
 */
@Entity
@Table(name = "authors")
public class HAuthor {
    @Id
    public Long id;
    public String name;
    public String bio;
    @OneToMany(mappedBy = "author")
    @OrderBy("id")
    public Set<HBook> books = new LinkedHashSet<>();
}
