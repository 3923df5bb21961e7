package io.relata.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.SqlDialect;
import io.relata.plan.Ddl;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.Bind;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Citus, multi-tenant layout (README, "Citus"): every table carries the tenant id ({@code tenantId}, the hash
 * distribution column, tables co-located), and a query scoped to one tenant says so on the root and on every
 * include (and junction). Then every table of every statement Relata sends has an equality on its own
 * {@code tenantId} with the same bound value, which is what Citus needs to route the whole statement to the one
 * shard group of that tenant (router-executable: no cross-shard join, no repartitioning).
 */
class CitusColocationTest {
    record Account(Long id, Long tenantId, String name) {
    }

    record Invoice(Long id, Long tenantId, Long accountId, String number) {
    }

    record Tag(Long id, Long tenantId, String label) {
    }

    record InvoiceTag(Long id, Long tenantId, Long invoiceId, Long tagId) {
    }

    static final Long TENANT = 42L;
    static final Pattern TABLE = Pattern.compile("(?:FROM|JOIN) \"(\\w+)\" AS \"(\\w+)\"");

    final Model<Account> accounts;
    final Model<Invoice> invoices;
    final Model<Tag> tags;
    final HasMany<Account, Invoice> accountInvoices;
    final BelongsTo<Invoice, Account> invoiceAccount;
    final BelongsToMany<Invoice, Tag> invoiceTags;
    final Schema schema;

    CitusColocationTest() {
        SchemaBuilder s = Schema.builder().timestamps(false).dialect(SqlDialect.CITUS);
        accounts = s.define(Account.class);
        invoices = s.define(Invoice.class);
        tags = s.define(Tag.class);
        Model<InvoiceTag> invoiceTagModel = s.define(InvoiceTag.class);
        accountInvoices = accounts.hasMany(invoices);
        invoiceAccount = invoices.belongsTo(accounts);
        invoiceTags = invoices.belongsToMany(tags, o -> o.through(invoiceTagModel));
        schema = s.build();
    }

    private static Where tenant() {
        return Where.eq("tenantId", TENANT);
    }

    /** Every table alias of the statement has {@code "alias"."tenantId" = $n} with $n bound to the tenant. */
    private static void assertEveryTableCarriesTheTenant(SqlStatement statement) {
        String sql = statement.sql();
        Matcher tables = TABLE.matcher(sql);
        List<String> aliases = new ArrayList<>();
        while (tables.find()) {
            aliases.add(tables.group(2));
        }
        assertThat(aliases).as(sql).isNotEmpty();
        for (String alias : aliases) {
            Matcher predicate = Pattern.compile("\"" + alias + "\"\\.\"tenantId\" = \\$(\\d+)").matcher(sql);
            assertThat(predicate.find()).as("tenant predicate on " + alias + " in " + sql).isTrue();
            Bind bind = statement.binds().get(Integer.parseInt(predicate.group(1)) - 1);
            assertThat(bind.value()).as("bound tenant of " + alias + " in " + sql).isEqualTo(TENANT);
        }
    }

    @Test
    void aJoinedIncludeScopedToTheTenantHasTheTenantOnEveryTable() {
        Query<Account> query = Query.from(accounts).where(Where.and(tenant(), Where.eq("id", 7L)))
                .include(accountInvoices, i -> i.where(tenant())
                        .include(invoiceTags, t -> t.where(tenant()).throughWhere(tenant())));
        SelectPlan<Account> plan = Statements.select(query);
        assertThat(plan.hasFollowUps()).isFalse();
        assertEveryTableCarriesTheTenant(plan.statement());
    }

    @Test
    void separateIncludesScopedToTheTenantHaveTheTenantOnEveryStatement() {
        Query<Account> query = Query.from(accounts).where(tenant())
                .include(accountInvoices, i -> i.strategy(Include.Strategy.SEPARATE).where(tenant()).required(false)
                        .include(invoiceAccount, a -> a.where(tenant()).required(false)));
        SelectPlan<Account> plan = Statements.select(query);
        assertThat(plan.hasFollowUps()).isTrue();
        assertEveryTableCarriesTheTenant(plan.statement());
        assertThat(plan.followUpTemplates()).isNotEmpty();
        for (SqlStatement followUp : plan.followUpTemplates()) {
            // the template's own binds hold the tenant; the key list ($1 = ANY) is filled per window
            assertEveryTableCarriesTheTenant(followUp);
        }
    }

    @Test
    void withoutTheTenantOnAnIncludeTheStatementIsNotRouterExecutable() {
        // the check above can fail: an include without the tenant leaves its table unconstrained
        Query<Account> query = Query.from(accounts).where(tenant()).include(accountInvoices);
        String sql = Statements.select(query).statement().sql();
        Matcher tables = TABLE.matcher(sql);
        List<String> unconstrained = new ArrayList<>();
        while (tables.find()) {
            if (!sql.contains("\"" + tables.group(2) + "\".\"tenantId\" = $")) {
                unconstrained.add(tables.group(1));
            }
        }
        assertThat(unconstrained).containsExactly("Invoices");
    }

    @Test
    void theCitusDdlIsPostgresDdl() {
        List<String> citus = Ddl.createTables(schema).stream().map(SqlStatement::sql).toList();
        assertThat(citus).isNotEmpty().allSatisfy(sql -> assertThat(sql).startsWith("CREATE TABLE IF NOT EXISTS"));
        assertThat(citus.get(0)).contains("\"id\" BIGSERIAL");
    }
}
