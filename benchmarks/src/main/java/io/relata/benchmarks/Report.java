package io.relata.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the medians into {@code latest.json} and the markdown table of figures, ratios and goals. */
final class Report {
    static final List<String> COLUMNS = List.of("L", "L_split", "N", "H", "JA", "J");
    static final String W9 = "32 concurrent subscribers, each loading one team with its 10 players (findByPk with a hasMany"
            + " include) after the other, 10 s after 5 s warm-up";
    static final String START = "<!-- results:start -->";
    static final String END = "<!-- results:end -->";
    static final String COMMAND = "mvn -B -Pbenchmarks -pl benchmarks -am -Dmaven.test.skip=true package && java -jar benchmarks/target/benchmarks.jar";

    /** A goal: Relata's figure over a peer's must reach {@code min}. */
    record Goal(String peer, double min) {
    }

    /** One row of results. */
    record Row(String id, String what, String unit, double relata, String relataNote, Map<String, Double> peers,
            List<Goal> goals) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<String, Object>> m1;
    private final Map<String, Map<String, Object>> w9;
    private final Map<String, Object> machine;
    private final boolean quick;

    Report(List<BenchMain.Workload> workloads, Map<String, Double> medians, Map<String, Map<String, Object>> m1,
            Map<String, Map<String, Object>> w9, Map<String, Object> machine, boolean quick) {
        this.m1 = m1;
        this.w9 = w9;
        this.machine = machine;
        this.quick = quick;
        for (BenchMain.Workload w : workloads) {
            String cls = w.type().getSimpleName() + ".";
            if (w.id().equals("W6")) {
                for (String k : List.of("1", "10", "1000")) {
                    Map<String, Double> peers = new LinkedHashMap<>();
                    put(peers, "L", medians.get(cls + "L:" + k), w.unitsPerOp());
                    put(peers, "N", medians.get(cls + "N:" + k), w.unitsPerOp());
                    Double relata = medians.get(cls + "relata:" + k);
                    if (relata == null && peers.isEmpty()) {
                        continue;
                    }
                    rows.add(new Row("W6-K" + k, w.what().replace("K targets", k + (k.equals("1") ? " target" : " targets")),
                            w.unit(), scale(relata, w.unitsPerOp()), "",
                            peers, k.equals("1000") ? List.of(new Goal("L", 0.90), new Goal("N", 10)) : List.of()));
                }
                continue;
            }
            Map<String, Double> peers = new LinkedHashMap<>();
            double relata;
            String note = "";
            if (w.id().equals("W2") || w.id().equals("W4") || w.id().equals("W8")) {
                Map<String, String> strategies = new LinkedHashMap<>();
                if (w.id().equals("W2")) {
                    strategies.put("relata", "JOIN");
                } else {
                    strategies.put("relataJoin", w.id().equals("W8") ? "JOIN lateral" : "JOIN");
                    strategies.put("relataSeparate", "SEPARATE");
                }
                if (w.id().equals("W4")) {
                    strategies.put("relataSeparateTags", "JOIN books + SEPARATE tags");
                }
                strategies.put("relataAggregate", "AGGREGATE");
                relata = Double.NaN;
                StringBuilder all = new StringBuilder();
                for (Map.Entry<String, String> s : strategies.entrySet()) {
                    Double v = medians.get(cls + s.getKey());
                    if (v == null) {
                        continue;
                    }
                    double scaled = v * w.unitsPerOp();
                    all.append(all.length() == 0 ? "" : "; ").append(s.getValue()).append(' ').append(num(scaled));
                    if (Double.isNaN(relata) || scaled > relata) {
                        relata = scaled;
                        note = s.getValue();
                    }
                }
                note = all.length() == 0 ? "" : "best: " + note + " (" + all + ")";
                put(peers, "L", medians.get(cls + (w.id().equals("W4") ? "L_join" : "L")), w.unitsPerOp());
                put(peers, "N", medians.get(cls + "N"), w.unitsPerOp());
                put(peers, "L_split", medians.get(cls + "L_split"), w.unitsPerOp());
                put(peers, "naiveAll", medians.get(cls + "naiveAll"), w.unitsPerOp());
            } else {
                relata = scale(medians.get(cls + "relata"), w.unitsPerOp());
                put(peers, "L", medians.get(cls + "L"), w.unitsPerOp());
                put(peers, "N", medians.get(cls + "N"), w.unitsPerOp());
                put(peers, "L_remoteValidation", medians.get(cls + "L_remoteValidation"), w.unitsPerOp());
            }
            put(peers, "H", medians.get(cls + "H"), w.unitsPerOp());
            put(peers, "JA", medians.get(cls + "JA"), w.unitsPerOp());
            put(peers, "J", medians.get(cls + "J"), w.unitsPerOp());
            if (Double.isNaN(relata) && peers.isEmpty()) {
                continue;
            }
            List<Goal> goals = switch (w.id()) {
                case "W1", "W3" -> List.of(new Goal("L", 0.95));
                case "W2" -> List.of(new Goal("L", 0.95), new Goal("N", 4), new Goal("H", 1.0));
                case "W4" -> List.of(new Goal("L", 1.5), new Goal("L_split", 1.0));
                case "W5" -> List.of(new Goal("L", 0.85), new Goal("N", 3));
                case "W7" -> List.of(new Goal("L", 1.0), new Goal("H", 1.0));
                case "W8" -> List.of(new Goal("L", 0.90));
                default -> List.of();
            };
            rows.add(new Row(w.id(), w.what(), w.unit(), relata, note, peers, goals));
        }
    }

    private static void put(Map<String, Double> peers, String name, Double perOp, double unitsPerOp) {
        if (perOp != null) {
            peers.put(name, perOp * unitsPerOp);
        }
    }

    private static double scale(Double perOp, double unitsPerOp) {
        return perOp == null ? Double.NaN : perOp * unitsPerOp;
    }

    static String status(double ratio, double min) {
        if (Double.isNaN(ratio)) {
            return "n/a";
        }
        if (ratio >= min) {
            return "met";
        }
        return ratio >= min * 0.95 ? "within noise" : "MISSED";
    }

    String json() {
        StringBuilder b = new StringBuilder("{\n");
        for (Map.Entry<String, Object> e : machine.entrySet()) {
            b.append("  ").append(str(e.getKey())).append(": ").append(value(e.getValue())).append(",\n");
        }
        b.append("  \"command\": ").append(str(COMMAND)).append(",\n");
        b.append("  \"settings\": ").append(str(quick ? "QUICK smoke run: 1 fork, 1 x 0.5 s warm-up, 2 x 0.5 s measured"
                : "JMH 1.37 throughput; 2 passes over the suite, 1 fork per benchmark per pass, each 4 x 1 s warm-up + 5 x 1 s measured, -Xms1g -Xmx1g; figure = median of the 10 measured iterations"))
                .append(",\n");
        b.append("  \"workloads\": [\n");
        List<String> items = new ArrayList<>();
        for (Row r : rows) {
            StringBuilder o = new StringBuilder("    {\"id\": ").append(str(r.id())).append(", \"relata\": ").append(num0(r.relata()));
            o.append(", \"peers\": {");
            List<String> ps = new ArrayList<>();
            r.peers().forEach((k, v) -> ps.add(str(k) + ": " + num0(v)));
            o.append(String.join(", ", ps)).append("}, \"unit\": ").append(str(r.unit()));
            List<String> ratios = new ArrayList<>();
            r.peers().forEach((k, v) -> ratios.add(str(k) + ": " + String.format(Locale.ROOT, "%.3f", r.relata() / v)));
            o.append(", \"ratios\": {").append(String.join(", ", ratios)).append("}");
            if (!r.goals().isEmpty()) {
                List<String> gs = new ArrayList<>();
                for (Goal g : r.goals()) {
                    Double v = r.peers().get(g.peer());
                    double ratio = v == null ? Double.NaN : r.relata() / v;
                    gs.add("{\"peer\": " + str(g.peer()) + ", \"min\": " + g.min() + ", \"ratio\": "
                            + (Double.isNaN(ratio) ? "null" : String.format(Locale.ROOT, "%.3f", ratio)) + ", \"status\": "
                            + str(status(ratio, g.min())) + "}");
                }
                o.append(", \"goals\": [").append(String.join(", ", gs)).append("]");
            }
            if (!r.relataNote().isEmpty()) {
                o.append(", \"note\": ").append(str(r.relataNote()));
            }
            o.append(", \"workload\": ").append(str(r.what())).append("}");
            items.add(o.toString());
        }
        Map<String, Object> relata = m1.get("relata");
        if (relata != null) {
            StringBuilder o = new StringBuilder("    {\"id\": \"M1\", ");
            String json = (String) relata.get("json");
            o.append(json == null ? "\"completed\": false" : inner(json));
            Map<String, Object> l = m1.get("L");
            if (l != null && l.get("json") != null) {
                o.append(", \"peers\": {\"L\": {").append(inner((String) l.get("json"))).append("}}");
            }
            o.append(", \"unit\": \"MB\", \"workload\": \"stream 100k roots x 10 children (1,000,000 rows) eager, -Xmx64m\"}");
            items.add(o.toString());
        }
        Map<String, Object> separate = m1.get("relataSeparate");
        if (separate != null) {
            String json = (String) separate.get("json");
            items.add("    {\"id\": \"M1-SEPARATE\", " + (json == null ? "\"completed\": false" : inner(json))
                    + ", \"unit\": \"MB\", \"workload\": \"the same with the lines SEPARATE (cursor, one = ANY per 256"
                    + " orders), -Xmx64m\"}");
        }
        Map<String, Object> aggregate = m1.get("relataAggregate");
        if (aggregate != null) {
            String json = (String) aggregate.get("json");
            items.add("    {\"id\": \"M1-AGGREGATE\", " + (json == null ? "\"completed\": false" : inner(json))
                    + ", \"unit\": \"MB\", \"workload\": \"the same with the lines AGGREGATE (one JSON array per order),"
                    + " -Xmx64m\"}");
        }
        if (!w9.isEmpty()) {
            StringBuilder o = new StringBuilder("    {\"id\": \"W9\", \"peers\": {");
            List<String> ps = new ArrayList<>();
            w9.forEach((peer, r) -> {
                String json = (String) r.get("json");
                ps.add(str(peer) + ": {" + (json == null ? "\"completed\": false" : inner(json)) + "}");
            });
            o.append(String.join(", ", ps)).append("}, \"unit\": \"loads/s, latency in µs\", \"workload\": ")
                    .append(str(W9)).append("}");
            items.add(o.toString());
        }
        b.append(String.join(",\n", items)).append("\n  ]\n}\n");
        return b.toString();
    }

    /** The fields of a one-line JSON object, without braces and without its "peer". */
    private static String inner(String json) {
        String s = json.trim();
        s = s.substring(1, s.length() - 1);
        return s.replaceFirst("\"peer\":\"[^\"]*\",", "").replace(",\"", ", \"").replace("\":", "\": ");
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Run of ").append(machine.get("date")).append(" — ").append(machine.get("cores")).append(" cores (")
                .append(machine.get("cpu")).append("), ").append(machine.get("jdk")).append(", ").append(machine.get("postgres"))
                .append(quick ? " — QUICK SMOKE RUN, figures not meaningful" : "").append(".\n\n");
        b.append("| # | workload | unit | Relata | L | L split | N | H | JA | J | goals (Relata ÷ peer) |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            StringBuilder extra = new StringBuilder();
            r.peers().forEach((p, v) -> {
                if (!COLUMNS.contains(p)) {
                    extra.append("; context: ").append(p).append(' ').append(num(v))
                            .append(String.format(Locale.ROOT, " (%.2f×)", r.relata() / v));
                }
            });
            b.append("| ").append(r.id()).append(" | ").append(r.what())
                    .append(r.relataNote().isEmpty() ? "" : "; " + r.relataNote()).append(extra).append(" | ").append(r.unit())
                    .append(" | ").append(num(r.relata()));
            for (String p : COLUMNS) {
                Double v = r.peers().get(p);
                b.append(" | ").append(v == null ? "—" : num(v) + String.format(Locale.ROOT, " (%.2f×)", r.relata() / v));
            }
            List<String> gs = new ArrayList<>();
            for (Goal g : r.goals()) {
                Double v = r.peers().get(g.peer());
                double ratio = v == null ? Double.NaN : r.relata() / v;
                gs.add(String.format(Locale.ROOT, "%s ≥ %.2f: %.2f %s", g.peer(), g.min(), ratio, status(ratio, g.min())));
            }
            b.append(" | ").append(gs.isEmpty() ? "—" : String.join("; ", gs)).append(" |\n");
        }
        Map<String, Object> relata = m1.get("relata");
        if (relata != null) {
            b.append("| M1 | stream 1,000,000 eager rows (100k roots × 10), -Xmx64m | — | ")
                    .append(m1Cell(relata)).append(" | ").append(m1Cell(m1.get("L"))).append(" | — | — | — | — | — | completes: ")
                    .append(relata.get("json") != null && ((String) relata.get("json")).contains("\"completed\":true") ? "met" : "MISSED")
                    .append(" |\n");
        }
        Map<String, Object> separate = m1.get("relataSeparate");
        if (separate != null) {
            b.append("| M1-SEPARATE | the same, lines SEPARATE (cursor, one `= ANY` per 256 orders), -Xmx64m | — | ")
                    .append(m1Cell(separate)).append(" | — | — | — | — | — | — | completes: ")
                    .append(separate.get("json") != null && ((String) separate.get("json")).contains("\"completed\":true")
                            ? "met" : "MISSED")
                    .append(" |\n");
        }
        Map<String, Object> aggregate = m1.get("relataAggregate");
        if (aggregate != null) {
            b.append("| M1-AGGREGATE | the same, lines AGGREGATE (one JSON array per order), -Xmx64m | — | ")
                    .append(m1Cell(aggregate)).append(" | — | — | — | — | — | — | completes: ")
                    .append(aggregate.get("json") != null && ((String) aggregate.get("json")).contains("\"completed\":true")
                            ? "met" : "MISSED")
                    .append(" |\n");
        }
        if (!w9.isEmpty()) {
            List<String> checksums = new ArrayList<>();
            w9.values().forEach(r -> checksums.add(r.get("json") == null ? "?" : field((String) r.get("json"), "graphs")));
            b.append("\n").append(checksums.stream().distinct().count() == 1
                    ? "W9 verified: every peer returns the same 100 graphs (checksum " + checksums.get(0) + ")."
                    : "W9 PEERS DISAGREE on the 100 graphs: " + checksums + ".").append('\n');
            b.append("\n| W9 | ").append(W9).append(" | loads/s | p50 | p99 | max |\n|---|---|---:|---:|---:|---:|\n");
            double relataRate = Double.NaN;
            for (Map.Entry<String, Map<String, Object>> e : w9.entrySet()) {
                String j = (String) e.getValue().get("json");
                if (j == null || !j.contains("\"completed\":true")) {
                    b.append("| | ").append(e.getKey()).append(" | FAILED | | | |\n");
                    continue;
                }
                double rate = Double.parseDouble(field(j, "perSecond"));
                if (e.getKey().equals("relata")) {
                    relataRate = rate;
                }
                b.append("| | ").append(e.getKey().equals("relata") ? "Relata" : e.getKey()).append(" | ").append(num(rate))
                        .append(Double.isNaN(relataRate) || e.getKey().equals("relata") ? ""
                                : String.format(Locale.ROOT, " (%.2f×)", relataRate / rate))
                        .append(" | ").append(field(j, "p50us")).append(" µs | ").append(field(j, "p99us")).append(" µs | ")
                        .append(field(j, "maxUs")).append(" µs |\n");
            }
        }
        b.append("\nFigures are medians of JMH iterations; (n×) is Relata ÷ that peer, so above 1 means Relata is faster. ")
                .append("Goal status: met, within noise (under 5% short), or MISSED.\n");
        return b.toString();
    }

    private static String m1Cell(Map<String, Object> r) {
        if (r == null || r.get("json") == null) {
            return "—";
        }
        String j = (String) r.get("json");
        return (j.contains("\"completed\":true") ? "completed" : "FAILED") + ", peak heap " + field(j, "peakHeapMB")
                + " MB, " + field(j, "seconds") + " s";
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":");
        if (i < 0) {
            return "?";
        }
        int s = i + name.length() + 3;
        int e = s;
        while (e < json.length() && json.charAt(e) != ',' && json.charAt(e) != '}') {
            e++;
        }
        return json.substring(s, e);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num0(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String value(Object v) {
        return v instanceof Number ? v.toString() : str(String.valueOf(v));
    }
}
