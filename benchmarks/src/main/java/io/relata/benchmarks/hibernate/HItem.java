package io.relata.benchmarks.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Hibernate's view of {@code items}. */
@Entity
@Table(name = "items")
public class HItem {
    @Id
    public Long id;
    public String name;
    public Integer quantity;
    public Double price;
    public String sku;
}
