package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Extensions of granted access (issue 15): an access request may have more than one lockbox
 * request (the first asks for access, each later one for more time), so the unique constraint on
 * lockbox_request.access_request_id goes. V1 left it unnamed, and H2 and PostgreSQL name such a
 * constraint differently: it is found by its table and column in the information schema both
 * share. A tenant's lockbox policy says how many extensions one access may have (default 1).
 */
public class V31__lockbox_extensions extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    List<String> unique = new ArrayList<>();
    try (PreparedStatement find = connection.prepareStatement(
        "select tc.constraint_name from information_schema.table_constraints tc "
            + "join information_schema.key_column_usage k on k.constraint_name = tc.constraint_name "
            + "and k.table_name = tc.table_name and k.constraint_schema = tc.constraint_schema "
            + "where upper(tc.table_name) = 'LOCKBOX_REQUEST' and tc.constraint_type = 'UNIQUE' "
            + "and upper(k.column_name) = 'ACCESS_REQUEST_ID' and tc.constraint_schema = current_schema")) {
      try (ResultSet rs = find.executeQuery()) {
        while (rs.next()) {
          unique.add(rs.getString(1));
        }
      }
    }
    if (unique.isEmpty()) {
      throw new IllegalStateException("lockbox_request has no unique constraint on access_request_id to drop");
    }
    try (Statement sql = connection.createStatement()) {
      for (String name : unique) {
        sql.execute("alter table lockbox_request drop constraint \"" + name + "\"");
      }
      sql.execute("create index lockbox_request_access_request on lockbox_request (access_request_id, requested_at)");
      // ACCESS: the customer's approval of the access itself; EXTENSION: of more time for it.
      sql.execute("alter table lockbox_request add column purpose varchar(16) default 'ACCESS' not null");
      // The engineer's reason for more time (an ACCESS request's reason is the access request's).
      sql.execute("alter table lockbox_request add column justification varchar(2000)");
      // Where an approved extension moved the grant's end: set once, so one approval moves it once.
      sql.execute("alter table lockbox_request add column granted_until timestamp with time zone");
      sql.execute("alter table lockbox_policy add column max_extensions integer default 1 not null");
    }
  }
}
