package io.relata.benchmarks.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Hibernate's view of {@code tags}. */
@Entity
@Table(name = "tags")
public class HTag {
    @Id
    public Long id;
    public String name;
}
