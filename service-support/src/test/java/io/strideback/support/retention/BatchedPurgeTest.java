package io.strideback.support.retention;

import io.strideback.testing.LocalPostgres;
import io.strideback.testing.PostgresResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The generic purge on the real PostgreSQL: old rows go, young ones stay, in bounded batches, never waiting on a lock. */
class BatchedPurgeTest {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private final String table = "purge_" + UUID.randomUUID().toString().replace("-", "");
    private ExpiringRows expiring;

    @BeforeEach
    void table() throws Exception {
        dataSource.setUrl(PostgresResource.server().jdbcUrl("plan"));
        dataSource.setUser(LocalPostgres.USER);
        dataSource.setPassword(LocalPostgres.PASSWORD);
        sql("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, kind text NOT NULL, created_at timestamptz NOT NULL)");
        expiring = new ExpiringRows(table, "created_at", "kind <> 'keep'");
    }

    @Test
    void rows_older_than_the_retention_go_and_younger_ones_and_those_the_condition_keeps_stay() throws Exception {
        rows(5, "done", "10 days");
        rows(3, "done", "6 days");
        rows(2, "keep", "30 days");

        BatchedPurge.Result r = BatchedPurge.run(dataSource, expiring, Duration.ofDays(8), 100, 10);

        assertThat(r.removed()).isEqualTo(5);
        assertThat(r.moreLeft()).isFalse();
        assertThat(count("true")).isEqualTo(5);
        assertThat(count("created_at < now() - interval '8 days' AND kind = 'done'")).isZero();
        assertThat(count("kind = 'keep'")).isEqualTo(2);
    }

    @Test
    void a_run_deletes_at_most_its_batches_and_the_next_run_takes_the_rest() throws Exception {
        rows(50, "done", "10 days");

        BatchedPurge.Result first = BatchedPurge.run(dataSource, expiring, Duration.ofDays(8), 10, 3);
        assertThat(first.removed()).isEqualTo(30);
        assertThat(first.batches()).isEqualTo(3);
        assertThat(first.moreLeft()).isTrue();
        assertThat(count("true")).isEqualTo(20);

        BatchedPurge.Result second = BatchedPurge.run(dataSource, expiring, Duration.ofDays(8), 10, 3);
        assertThat(second.removed()).isEqualTo(20);
        assertThat(second.moreLeft()).isFalse();
        assertThat(count("true")).isZero();
    }

    @Test
    void a_row_another_transaction_holds_is_skipped_not_waited_for() throws Exception {
        rows(4, "done", "10 days");
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT id FROM " + table + " ORDER BY id LIMIT 1 FOR UPDATE");
            }
            BatchedPurge.Result r = CompletableFuture.supplyAsync(() -> {
                try {
                    return BatchedPurge.run(dataSource, expiring, Duration.ofDays(8), 100, 10);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(20, TimeUnit.SECONDS);
            assertThat(r.removed()).isEqualTo(3);
            holder.rollback();
        }
        assertThat(BatchedPurge.run(dataSource, expiring, Duration.ofDays(8), 100, 10).removed()).isEqualTo(1);
    }

    private void rows(int n, String kind, String age) throws Exception {
        sql("INSERT INTO " + table + " (kind, created_at) SELECT '" + kind + "', now() - interval '" + age
                + "' FROM generate_series(1, " + n + ")");
    }

    private long count(String where) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
