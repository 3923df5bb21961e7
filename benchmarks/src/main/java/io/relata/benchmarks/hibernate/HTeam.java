package io.relata.benchmarks.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;

/** Hibernate's view of {@code teams}. */
@Entity
@Table(name = "teams")
public class HTeam {
    @Id
    public Long id;
    public String name;
    public String city;
    @OneToMany(mappedBy = "team")
    @OrderBy("id")
    public List<HPlayer> players = new ArrayList<>();
}
