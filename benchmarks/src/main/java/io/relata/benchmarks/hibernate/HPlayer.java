package io.relata.benchmarks.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** Hibernate's view of {@code players}. */
@Entity
@Table(name = "players")
public class HPlayer {
    @Id
    public Long id;
    public String name;
    public Integer number;
    @Column(name = "team_id", insertable = false, updatable = false)
    public Long teamId;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "team_id")
    public HTeam team;
}
