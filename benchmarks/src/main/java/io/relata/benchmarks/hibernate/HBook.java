package io.relata.benchmarks.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.LinkedHashSet;
import java.util.Set;

/** Hibernate's view of {@code books}; tags through {@code book_tags}. */
@Entity
@Table(name = "books")
public class HBook {
    @Id
    public Long id;
    public String title;
    public String summary;
    public Integer year;
    @Column(name = "author_id", insertable = false, updatable = false)
    public Long authorId;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "author_id")
    public HAuthor author;
    @ManyToMany
    @JoinTable(name = "book_tags", joinColumns = @JoinColumn(name = "book_id"),
            inverseJoinColumns = @JoinColumn(name = "tag_id"))
    @OrderBy("id")
    public Set<HTag> tags = new LinkedHashSet<>();
}
