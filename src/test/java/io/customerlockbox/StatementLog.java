package io.customerlockbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application's database seen through a statement counter: a repository made on {@link #jdbc}
 * sends its statements through it, in transactions of {@link #transaction}, and each one that
 * names {@code table} is logged.
 */
public final class StatementLog {

  public final List<String> statements = new CopyOnWriteArrayList<>();
  public final JdbcClient jdbc;
  public final TransactionTemplate transaction;

  public StatementLog(DataSource dataSource, String table) {
    DataSource counted = ProxyDataSourceBuilder.create(dataSource)
        .afterQuery((execution, queries) -> queries.stream().map(QueryInfo::getQuery)
            .filter(sql -> sql.contains(table)).forEach(statements::add))
        .build();
    jdbc = JdbcClient.create(counted);
    transaction = new TransactionTemplate(new DataSourceTransactionManager(counted));
  }
}
